//! The Arrow type names users see (`int32`, `dictionary<int32, utf8>`, `timestamp[ms, UTC]`): written in column
//! lists, error messages and the CSV/Parquet import reports ([`type_name`]), and read back where users give a type
//! ([`parse_type_name`]: scale-out's `schema`, the CSV `types` overrides).
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

/// Read a type name: every name [`type_name`] writes for a type a column can hold (`bool`, `int8`…`uint64`,
/// `float32`, `float64`, `utf8`, `large_utf8`, `utf8_view`, `date32`, `date64`, `timestamp[unit]`,
/// `timestamp[unit, zone]`, `decimal128(p, s)`, `dictionary<key, value>`), plus the SQL spellings people type
/// (`boolean`, `tinyint`, `smallint`, `int`, `integer`, `bigint`, `long`, `float`, `real`, `double`,
/// `double precision`, `string`, `text`, `varchar`, `date`, `timestamp` (µs), `timestamptz` (µs, UTC),
/// `decimal(p, s)`; `decimal128(p)` means scale 0). Case-insensitive except the zone, which keeps its spelling.
/// The error says why, for the caller to wrap with its option name.
pub fn parse_type_name(text: &str) -> Result<DataType, String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let simple = match lower.as_str() {
        "bool" | "boolean" => DataType::Boolean,
        "int8" | "tinyint" => DataType::Int8,
        "int16" | "smallint" => DataType::Int16,
        "int32" | "int" | "integer" => DataType::Int32,
        "int64" | "bigint" | "long" => DataType::Int64,
        "uint8" => DataType::UInt8,
        "uint16" => DataType::UInt16,
        "uint32" => DataType::UInt32,
        "uint64" => DataType::UInt64,
        "float32" | "float" | "real" => DataType::Float32,
        "float64" | "double" | "double precision" => DataType::Float64,
        "utf8" | "string" | "text" | "varchar" => DataType::Utf8,
        "large_utf8" => DataType::LargeUtf8,
        "utf8_view" => DataType::Utf8View,
        "date32" | "date" => DataType::Date32,
        "date64" => DataType::Date64,
        "timestamp" => DataType::Timestamp(TimeUnit::Microsecond, None),
        "timestamptz" => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        _ => return parse_parametrized(t, &lower),
    };
    Ok(simple)
}

/// `timestamp[…]`, `decimal128(…)` / `decimal(…)`, `dictionary<…>`; `lower` is `t` lower-cased.
fn parse_parametrized(t: &str, lower: &str) -> Result<DataType, String> {
    // The text between `open` and the closing character, from the original (zones keep their case).
    let inner = |open: &str, close: char| {
        (lower.starts_with(open) && lower.ends_with(close)).then(|| &t[open.len()..t.len() - close.len_utf8()])
    };
    if let Some(inner) = inner("timestamp[", ']') {
        let (unit, zone) = match inner.split_once(',') {
            Some((u, z)) => (u.trim(), Some(z.trim()).filter(|z| !z.is_empty())),
            None => (inner.trim(), None),
        };
        let unit = match unit.to_ascii_lowercase().as_str() {
            "s" => TimeUnit::Second,
            "ms" => TimeUnit::Millisecond,
            "us" => TimeUnit::Microsecond,
            "ns" => TimeUnit::Nanosecond,
            _ => return Err("the unit must be s, ms, us or ns".into()),
        };
        return Ok(DataType::Timestamp(unit, zone.map(Into::into)));
    }
    if let Some(inner) = inner("decimal128(", ')').or_else(|| inner("decimal(", ')')) {
        let (p, s) = inner.split_once(',').unwrap_or((inner, "0"));
        return match (p.trim().parse::<u8>(), s.trim().parse::<i8>()) {
            (Ok(p), Ok(s)) if (1..=38).contains(&p) && i16::from(s) <= i16::from(p) => Ok(DataType::Decimal128(p, s)),
            _ => Err("precision must be 1–38 and scale at most the precision".into()),
        };
    }
    if let Some(inner) = inner("dictionary<", '>') {
        let (key, value) = inner.split_once(',').ok_or("a dictionary names its key and value types")?;
        return Ok(DataType::Dictionary(Box::new(parse_type_name(key)?), Box::new(parse_type_name(value)?)));
    }
    Err("not a type name segmetry knows".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every name `type_name` writes for a column type reads back as that type.
    #[test]
    fn names_round_trip() {
        let types = [
            DataType::Boolean,
            DataType::Int8,
            DataType::Int16,
            DataType::Int32,
            DataType::Int64,
            DataType::UInt8,
            DataType::UInt16,
            DataType::UInt32,
            DataType::UInt64,
            DataType::Float32,
            DataType::Float64,
            DataType::Utf8,
            DataType::LargeUtf8,
            DataType::Utf8View,
            DataType::Date32,
            DataType::Date64,
            DataType::Timestamp(TimeUnit::Second, None),
            DataType::Timestamp(TimeUnit::Nanosecond, Some("Europe/Helsinki".into())),
            DataType::Timestamp(TimeUnit::Microsecond, Some("+02:00".into())),
            DataType::Decimal128(12, 2),
            DataType::Decimal128(38, -3),
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
        ];
        for t in types {
            assert_eq!(parse_type_name(&type_name(&t)), Ok(t.clone()), "{}", type_name(&t));
        }
    }

    #[test]
    fn sql_spellings_and_errors() {
        let ok = |text: &str| parse_type_name(text).unwrap();
        assert_eq!(ok(" BIGINT "), DataType::Int64);
        assert_eq!(ok("double precision"), DataType::Float64);
        assert_eq!(ok("varchar"), DataType::Utf8);
        assert_eq!(ok("timestamptz"), DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())));
        assert_eq!(ok("decimal(10, 4)"), DataType::Decimal128(10, 4));
        assert_eq!(ok("decimal128(7)"), DataType::Decimal128(7, 0));
        assert_eq!(
            ok("TIMESTAMP[MS, Europe/Helsinki]"),
            DataType::Timestamp(TimeUnit::Millisecond, Some("Europe/Helsinki".into()))
        );
        assert!(parse_type_name("timestamp[minutes]").unwrap_err().contains("unit"));
        assert!(parse_type_name("decimal128(39, 2)").unwrap_err().contains("precision"));
        assert!(parse_type_name("decimal128(4, 5)").unwrap_err().contains("precision"));
        assert!(parse_type_name("int99").is_err());
        assert!(parse_type_name("list<int32>").is_err());
        assert!(parse_type_name("dictionary<int32>").is_err());
    }
}
