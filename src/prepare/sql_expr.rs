//! The SQL spellings a recipe's query needs that differ between DuckDB, Spark SQL and PostgreSQL: type names,
//! keys, the UTC calendar day of a date or timestamp, day differences, `first`/`last` by row order and null-safe
//! equality. Identifiers and strings are quoted by [`Dialect`] alone.

use arrow_schema::DataType;

use super::key::NormalizeKey;
use crate::error::{Error, Result};
use crate::ingest::{type_name, value_kind, ValueKind};
use crate::segments::Dialect;

/// The column holding each row's position (the source's `rowOrder`, then the first row of each group).
pub const ROW: &str = "__segmetry_row";
/// The normalized key of each row in a step's row set.
pub const KEY: &str = "__segmetry_key";

/// The dialect's name for `data_type`, for `CAST`s of results and `fill` values.
pub fn sql_type(dialect: Dialect, data_type: &DataType) -> Result<String> {
    use DataType::*;
    let spark = dialect == Dialect::Spark;
    Ok(match data_type {
        Boolean => "BOOLEAN".into(),
        Int8 | Int16 | UInt8 => "SMALLINT".into(),
        Int32 | UInt16 => "INTEGER".into(),
        Int64 | UInt32 | UInt64 => "BIGINT".into(),
        Float32 | Float64 => double(dialect).into(),
        Decimal128(p, s) => format!("DECIMAL({p}, {s})"),
        Date32 | Date64 => "DATE".into(),
        Timestamp(_, None) if spark => "TIMESTAMP_NTZ".into(),
        Timestamp(_, Some(_)) if dialect != Dialect::Spark => "TIMESTAMP WITH TIME ZONE".into(),
        Timestamp(_, _) => "TIMESTAMP".into(),
        Dictionary(_, v) => sql_type(dialect, v)?,
        Utf8 | LargeUtf8 | Utf8View => text(dialect).into(),
        other => {
            return Err(Error::invalid_argument(
                "recipe",
                format!("a column of type {} cannot be written as SQL", type_name(other)),
            ))
        }
    })
}

/// The text type.
pub fn text(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::DuckDb => "VARCHAR",
        Dialect::Spark => "STRING",
        Dialect::Postgres => "TEXT",
    }
}

/// The double type.
pub fn double(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Postgres => "DOUBLE PRECISION",
        _ => "DOUBLE",
    }
}

/// The normalized key of column `column` (qualified and quoted) of type `data_type`, as text: integers are
/// written as their decimal text first, as segmetry reads them.
pub fn key(dialect: Dialect, column: &str, data_type: &DataType, normalize: NormalizeKey) -> String {
    let as_text = if value_kind(data_type) == Some(ValueKind::Text) {
        column.to_string()
    } else {
        format!("CAST({column} AS {})", text(dialect))
    };
    match normalize {
        // Keys are text in the result whatever the column's type.
        NormalizeKey::None => format!("CAST({as_text} AS {})", text(dialect)),
        n => n.sql(&as_text),
    }
}

/// The UTC calendar day (a `DATE`) of a date or timestamp `column`, independent of the session's time zone.
pub fn utc_day(dialect: Dialect, column: &str, data_type: &DataType) -> String {
    match (dialect, data_type) {
        (_, DataType::Timestamp(_, None)) | (_, DataType::Date32 | DataType::Date64) => {
            format!("CAST({column} AS DATE)")
        }
        (Dialect::DuckDb, _) => format!("CAST(timezone('UTC', {column}) AS DATE)"),
        (Dialect::Postgres, _) => format!("CAST(({column} AT TIME ZONE 'UTC') AS DATE)"),
        (Dialect::Spark, _) => {
            format!("date_from_unix_date(CAST(floor(unix_micros({column}) / 86400000000) AS INT))")
        }
    }
}

/// Whole days from date `from` to date `to`, as BIGINT.
pub fn days_between(dialect: Dialect, to: &str, from: &str) -> String {
    match dialect {
        Dialect::Spark => format!("CAST(datediff({to}, {from}) AS BIGINT)"),
        _ => format!("CAST({to} - {from} AS BIGINT)"),
    }
}

/// A `DATE` literal.
pub fn date(days: i32) -> String {
    format!("DATE '{}'", crate::segments::calendar::format_date(days))
}

/// The first (or last) non-null `value` of a group by `row` (an aggregate).
pub fn first(dialect: Dialect, value: &str, row: &str, last: bool) -> String {
    let filter = format!("FILTER (WHERE {value} IS NOT NULL)");
    match (dialect, last) {
        (Dialect::DuckDb, false) => format!("arg_min({value}, {row}) {filter}"),
        (Dialect::DuckDb, true) => format!("arg_max({value}, {row}) {filter}"),
        (Dialect::Spark, false) => format!("min_by({value}, {row}) {filter}"),
        (Dialect::Spark, true) => format!("max_by({value}, {row}) {filter}"),
        (Dialect::Postgres, false) => format!("(array_agg({value} ORDER BY {row}) {filter})[1]"),
        (Dialect::Postgres, true) => format!("(array_agg({value} ORDER BY {row} DESC) {filter})[1]"),
    }
}

/// `a` equals `b`, or both are NULL.
pub fn same(dialect: Dialect, a: &str, b: &str) -> String {
    match dialect {
        Dialect::Spark => format!("{a} <=> {b}"),
        _ => format!("{a} IS NOT DISTINCT FROM {b}"),
    }
}

/// `column` for `min`/`max`: text compares by code point, as segmetry does (PostgreSQL needs the C collation).
pub fn ordered(dialect: Dialect, column: &str, data_type: &DataType) -> String {
    if dialect == Dialect::Postgres && value_kind(data_type) == Some(ValueKind::Text) {
        format!("{column} COLLATE \"C\"")
    } else {
        column.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_schema::TimeUnit;

    #[test]
    fn spellings_per_dialect() {
        let ts = DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into()));
        assert_eq!(utc_day(Dialect::Postgres, "x", &ts), "CAST((x AT TIME ZONE 'UTC') AS DATE)");
        assert_eq!(utc_day(Dialect::DuckDb, "x", &DataType::Date32), "CAST(x AS DATE)");
        assert_eq!(
            key(Dialect::Spark, "k", &DataType::Int64, NormalizeKey::Email),
            "NULLIF(lower(trim(CAST(k AS STRING))), '')"
        );
        assert_eq!(
            first(Dialect::Postgres, "v", "r", true),
            "(array_agg(v ORDER BY r DESC) FILTER (WHERE v IS NOT NULL))[1]"
        );
        assert_eq!(sql_type(Dialect::Postgres, &DataType::Float64).unwrap(), "DOUBLE PRECISION");
        assert!(sql_type(Dialect::DuckDb, &DataType::Binary).is_err());
    }
}
