//! Which Arrow types segmetry reads, how they are named to users, and what kind of values they hold.

use arrow_schema::{DataType, TimeUnit};
use serde::Serialize;

/// What a column holds, as far as segments and metrics care. Serialized as the `kind` users see:
/// `number`, `bool`, `text`, `date`, `timestamp`, `list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueKind {
    /// Integers, floats and decimals: compared and summed as numbers.
    #[serde(rename = "number")]
    Numeric,
    /// `true` / `false`.
    #[serde(rename = "bool")]
    Boolean,
    /// Text, plain or dictionary-encoded.
    Text,
    /// Calendar dates (`date32`, `date64`).
    Date,
    /// Instants (`timestamp[unit, tz?]`).
    Timestamp,
    /// Lists of text (`list<utf8>`, `large_list<utf8>`): tag lists, tested with `HAS`.
    #[serde(rename = "list")]
    TextList,
}

/// The kind of values a supported type holds, or `None` if segmetry cannot read the type.
pub fn value_kind(data_type: &DataType) -> Option<ValueKind> {
    use DataType::*;
    match data_type {
        Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64 | Float32 | Float64 => Some(ValueKind::Numeric),
        Decimal128(_, _) => Some(ValueKind::Numeric),
        Boolean => Some(ValueKind::Boolean),
        Utf8 | LargeUtf8 | Utf8View => Some(ValueKind::Text),
        Dictionary(key, value) if key.is_dictionary_key_type() => match value.as_ref() {
            Utf8 | LargeUtf8 | Utf8View => Some(ValueKind::Text),
            _ => None,
        },
        Date32 | Date64 => Some(ValueKind::Date),
        Timestamp(_, _) => Some(ValueKind::Timestamp),
        List(f) | LargeList(f) if matches!(f.data_type(), Utf8 | LargeUtf8) => Some(ValueKind::TextList),
        _ => None,
    }
}

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

/// What to tell a user whose column has an unsupported type.
pub fn unsupported_hint(data_type: &DataType) -> &'static str {
    use DataType::*;
    match data_type {
        Float16 => "cast it to float32 or float64 before loading",
        Decimal256(_, _) => "cast it to decimal128 or float64 before loading",
        Time32(_) | Time64(_) | Duration(_) | Interval(_) => "cast it to an integer (e.g. seconds) before loading",
        Binary | LargeBinary | FixedSizeBinary(_) | BinaryView => "decode it to utf8, or drop the column",
        _ => "drop the column or cast it to a number, bool, utf8, date or timestamp before loading",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn names_follow_arrow_conventions() {
        let dict = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
        assert_eq!(type_name(&dict), "dictionary<int32, utf8>");
        let ts = DataType::Timestamp(TimeUnit::Millisecond, Some(Arc::from("UTC")));
        assert_eq!(type_name(&ts), "timestamp[ms, UTC]");
        assert_eq!(type_name(&DataType::Timestamp(TimeUnit::Nanosecond, None)), "timestamp[ns]");
        assert_eq!(type_name(&DataType::Decimal128(12, 2)), "decimal128(12, 2)");
    }

    #[test]
    fn dictionary_of_non_text_is_unsupported() {
        let dict = DataType::Dictionary(Box::new(DataType::Int8), Box::new(DataType::Int64));
        assert_eq!(value_kind(&dict), None);
        assert_eq!(value_kind(&DataType::Float16), None);
        assert_eq!(value_kind(&DataType::UInt64), Some(ValueKind::Numeric));
    }
}
