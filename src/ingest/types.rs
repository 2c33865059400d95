//! Which Arrow types segmetry reads, how they are named to users, and what kind of values they hold.

use arrow_schema::DataType;

pub use super::type_name::{type_name, unit_name};
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
    use arrow_schema::TimeUnit;
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
