//! The Arrow type names users see (`int32`, `dictionary<int32, utf8>`, `timestamp[ms, UTC]`): in column lists,
//! error messages and the CSV/Parquet import reports.
//!
//! This file depends on `arrow_schema` alone because the formats crate (formats/, its own wasm module) compiles
//! it too, through `#[path]`: depending on the core crate would link the core's wasm exports into that module,
//! and a copy would drift (one already had: `map`).

use arrow_schema::{DataType, TimeUnit};

/// The Arrow type name users know: `int32`, `utf8`, `dictionary<int32, utf8>`, `timestamp[ms, UTC]`, …
pub fn type_name(data_type: &DataType) -> String {
    use DataType::*;
    match data_type {
        Null => "null".into(),
        Boolean => "bool".into(),
        Int8 => "int8".into(),
        Int16 => "int16".into(),
        Int32 => "int32".into(),
        Int64 => "int64".into(),
        UInt8 => "uint8".into(),
        UInt16 => "uint16".into(),
        UInt32 => "uint32".into(),
        UInt64 => "uint64".into(),
        Float16 => "float16".into(),
        Float32 => "float32".into(),
        Float64 => "float64".into(),
        Utf8 => "utf8".into(),
        LargeUtf8 => "large_utf8".into(),
        Utf8View => "utf8_view".into(),
        Binary => "binary".into(),
        LargeBinary => "large_binary".into(),
        Date32 => "date32".into(),
        Date64 => "date64".into(),
        Timestamp(unit, tz) => match tz {
            Some(tz) => format!("timestamp[{}, {tz}]", unit_name(unit)),
            None => format!("timestamp[{}]", unit_name(unit)),
        },
        Decimal128(p, s) => format!("decimal128({p}, {s})"),
        Decimal256(p, s) => format!("decimal256({p}, {s})"),
        Dictionary(key, value) => format!("dictionary<{}, {}>", type_name(key), type_name(value)),
        List(field) => format!("list<{}>", type_name(field.data_type())),
        LargeList(field) => format!("large_list<{}>", type_name(field.data_type())),
        Struct(_) => "struct".into(),
        Map(_, _) => "map".into(),
        other => other.to_string().to_lowercase(),
    }
}

/// `s`, `ms`, `us`, `ns`.
pub fn unit_name(unit: &TimeUnit) -> &'static str {
    match unit {
        TimeUnit::Second => "s",
        TimeUnit::Millisecond => "ms",
        TimeUnit::Microsecond => "us",
        TimeUnit::Nanosecond => "ns",
    }
}
