//! The options that steer typing: per-column type overrides (Arrow type names), the locale and the time zone.

use arrow_schema::{DataType, TimeUnit};

use crate::error::FormatError;
use crate::messages::{nested, Message};
use crate::type_name::parse_type_name;
use crate::tz;

/// Conventions for numbers, slash dates and so on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    /// Decide per column; a column whose values read differently under two conventions stays text.
    #[default]
    Auto,
    /// Decimal comma, space thousands, day-first dates.
    Fi,
    /// As `Fi`.
    Sv,
    /// Decimal comma, point thousands, day-first dates.
    De,
    /// Decimal point, comma thousands, month-first slash dates.
    En,
}

impl Locale {
    /// `'auto' | 'fi' | 'sv' | 'de' | 'en'`.
    pub fn parse(s: &str) -> Result<Locale, FormatError> {
        Ok(match s {
            "auto" => Locale::Auto,
            "fi" => Locale::Fi,
            "sv" => Locale::Sv,
            "de" => Locale::De,
            "en" => Locale::En,
            other => return Err(FormatError::argument("locale", Message::new("opt_locale", [other]))),
        })
    }
}

/// A type a caller forces on a column (`types: { 'Total': 'float64' }`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Forced {
    Utf8,
    Int64,
    Float64,
    Bool,
    Date32,
    /// `timestamp` (unit from the data) or `timestamp[ms]`, `timestamp[ms, Europe/Helsinki]`.
    Timestamp(Option<TimeUnit>, Option<String>),
    Decimal128(u8, i8),
}

fn bad_type(column: &str, text: &str, why: &str) -> FormatError {
    FormatError::argument("types", Message::new("opt_bad_type", [column, text, why]))
}

/// The time zone called `name`, or an argument error listing the known ones.
pub fn known_zone(subject: &str, name: &str) -> Result<tz::Zone, FormatError> {
    tz::zone(name).ok_or_else(|| {
        let names: Vec<_> = tz::known_zones().collect();
        FormatError::argument(subject, Message::new("opt_unknown_zone", [name.to_string(), names.join(", ")]))
    })
}

impl Forced {
    /// Parse an Arrow type name as given for `column` (read by the one type-name reader,
    /// [`crate::type_name::parse_type_name`]), and check that a CSV column can be read as it.
    pub fn parse(column: &str, text: &str) -> Result<Forced, FormatError> {
        // Bare `timestamp` takes its unit from the data here (elsewhere it means microseconds).
        if text.trim().eq_ignore_ascii_case("timestamp") {
            return Ok(Forced::Timestamp(None, None));
        }
        let data_type = parse_type_name(text).map_err(|why| bad_type(column, text, &why))?;
        Ok(match data_type {
            DataType::Utf8 | DataType::LargeUtf8 => Forced::Utf8,
            DataType::Int64 => Forced::Int64,
            DataType::Float64 => Forced::Float64,
            DataType::Boolean => Forced::Bool,
            DataType::Date32 => Forced::Date32,
            DataType::Timestamp(unit, zone) => {
                let zone = match zone {
                    Some(z) => Some(known_zone("types", &z)?.name),
                    None => None,
                };
                Forced::Timestamp(Some(unit), zone)
            }
            DataType::Decimal128(p, s) if s >= 0 => Forced::Decimal128(p, s),
            DataType::Decimal128(..) => return Err(bad_type(column, text, &nested("why_negative_scale", &[]))),
            _ => return Err(bad_type(column, text, &nested("why_not_csv_type", &[]))),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names the shared reader accepts that a CSV column can be read as, and the ones it cannot.
    #[test]
    fn forced_types_from_shared_names() {
        let ok = |text: &str| Forced::parse("c", text).unwrap();
        assert_eq!(ok("utf8"), Forced::Utf8);
        assert_eq!(ok("large_utf8"), Forced::Utf8);
        assert_eq!(ok("string"), Forced::Utf8);
        assert_eq!(ok("int64"), Forced::Int64);
        assert_eq!(ok("bigint"), Forced::Int64);
        assert_eq!(ok("double"), Forced::Float64);
        assert_eq!(ok("boolean"), Forced::Bool);
        assert_eq!(ok("date"), Forced::Date32);
        assert_eq!(ok("timestamp"), Forced::Timestamp(None, None));
        assert_eq!(ok("timestamp[ms]"), Forced::Timestamp(Some(TimeUnit::Millisecond), None));
        assert_eq!(ok("timestamptz"), Forced::Timestamp(Some(TimeUnit::Microsecond), Some("UTC".into())));
        assert_eq!(ok("decimal128(12, 2)"), Forced::Decimal128(12, 2));
        assert_eq!(ok("decimal128(7)"), Forced::Decimal128(7, 0));
        let why = |text: &str| Forced::parse("c", text).unwrap_err().message;
        assert!(why("int32").contains("cannot") || why("int32").contains("can read"), "{}", why("int32"));
        assert!(why("int99").contains("types['c']"), "{}", why("int99"));
        assert!(why("timestamp[m]").contains("unit"), "{}", why("timestamp[m]"));
        assert!(
            why("timestamp[ms, Mars/Olympus]").contains("unknown time zone"),
            "{}",
            why("timestamp[ms, Mars/Olympus]")
        );
        assert!(why("decimal128(10, -2)").contains("scale"), "{}", why("decimal128(10, -2)"));
    }
}
