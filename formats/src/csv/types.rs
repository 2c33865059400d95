//! The options that steer typing: per-column type overrides (Arrow type names), the locale and the time zone.

use arrow_schema::TimeUnit;

use crate::error::FormatError;
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
            other => {
                return Err(FormatError::argument(
                    "locale",
                    format!("locale must be 'auto', 'fi', 'sv', 'de' or 'en', got '{other}'"),
                ))
            }
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

const TYPE_HELP: &str = "use one of utf8, int64, float64, bool, date32, timestamp, timestamp[ms], \
                         timestamp[ms, Europe/Helsinki], decimal128(12, 2)";

fn bad_type(column: &str, text: &str, why: &str) -> FormatError {
    FormatError::argument("types", format!("types['{column}'] = '{text}': {why}; {TYPE_HELP}"))
}

/// The time zone called `name`, or an argument error listing the known ones.
pub fn known_zone(subject: &str, name: &str) -> Result<tz::Zone, FormatError> {
    tz::zone(name).ok_or_else(|| {
        let names: Vec<_> = tz::known_zones().collect();
        FormatError::argument(
            subject,
            format!(
                "unknown time zone '{name}'; known zones: {}, or a fixed offset such as '+02:00'",
                names.join(", ")
            ),
        )
    })
}

impl Forced {
    /// Parse an Arrow type name as given for `column`.
    pub fn parse(column: &str, text: &str) -> Result<Forced, FormatError> {
        let t = text.trim();
        Ok(match t {
            "utf8" | "string" | "large_utf8" => Forced::Utf8,
            "int64" => Forced::Int64,
            "float64" | "double" => Forced::Float64,
            "bool" | "boolean" => Forced::Bool,
            "date32" | "date" => Forced::Date32,
            "timestamp" => Forced::Timestamp(None, None),
            _ if t.starts_with("timestamp[") && t.ends_with(']') => {
                let inner = &t["timestamp[".len()..t.len() - 1];
                let (unit, zone) = match inner.split_once(',') {
                    Some((u, z)) => (u.trim(), Some(z.trim())),
                    None => (inner.trim(), None),
                };
                let unit = match unit {
                    "s" => TimeUnit::Second,
                    "ms" => TimeUnit::Millisecond,
                    "us" => TimeUnit::Microsecond,
                    "ns" => TimeUnit::Nanosecond,
                    _ => return Err(bad_type(column, text, "the unit must be s, ms, us or ns")),
                };
                let zone = match zone {
                    Some(z) => Some(known_zone("types", z)?.name),
                    None => None,
                };
                Forced::Timestamp(Some(unit), zone)
            }
            _ if t.starts_with("decimal128(") && t.ends_with(')') => {
                let inner = &t["decimal128(".len()..t.len() - 1];
                let (p, s) = inner.split_once(',').unwrap_or((inner, "0"));
                match (p.trim().parse::<u8>(), s.trim().parse::<i8>()) {
                    (Ok(p), Ok(s)) if (1..=38).contains(&p) && s >= 0 && (s as u8) <= p => Forced::Decimal128(p, s),
                    _ => return Err(bad_type(column, text, "precision must be 1–38 and scale 0–precision")),
                }
            }
            _ => return Err(bad_type(column, text, "not a type segmetry can read a CSV column as")),
        })
    }
}
