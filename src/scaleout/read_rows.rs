//! Reading the aggregate table of [`crate::scaleout::query`] — as Arrow IPC bytes (what engines export) or as
//! plain rows (JSON / JS objects) — into [`SummaryRow`]s.
//!
//! Arrow: `segment` and `variant` may be utf8, large_utf8, utf8_view or dictionaries of those (the variant also
//! an integer or bool, written as text); the counts and sums any integer, float or decimal128 type (engines
//! emit int64/float64, PostgreSQL numeric, DuckDB hugeint as decimal). Counts must be whole numbers ≥ 0.
//! Rows: objects with the same keys (snake_case, or camelCase), values numbers, BigInts or decimal strings.

use std::fmt;

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::metric_columns::{metric_column, MetricRowValues};
use super::query::SummaryRow;
use crate::error::{Error, Result};
use crate::ingest::{type_name, Dataset};

fn bad(column: &str, message: String) -> Error {
    Error::invalid_argument("summary", format!("column `{column}`: {message}"))
}

/// Text of a segment/variant cell (`None` when null).
fn text_at(a: &ArrayRef, row: usize, column: &str) -> Result<Option<String>> {
    if a.is_null(row) {
        return Ok(None);
    }
    Ok(Some(match a.data_type() {
        DataType::Utf8 => a.as_string::<i32>().value(row).to_string(),
        DataType::LargeUtf8 => a.as_string::<i64>().value(row).to_string(),
        DataType::Utf8View => a.as_string_view().value(row).to_string(),
        DataType::Boolean => a.as_boolean().value(row).to_string(),
        DataType::Null => return Ok(None),
        DataType::Dictionary(_, _) => {
            let d = a.as_any_dictionary();
            let keys = d.normalized_keys();
            let k = keys[row];
            return text_at(d.values(), k, column);
        }
        t if t.is_integer() => {
            let v = number_at(a, row, column)?.unwrap_or(0.0);
            format!("{}", v as i128)
        }
        t => return Err(bad(column, format!("is {}; it must be text", type_name(t)))),
    }))
}

/// A numeric cell as f64 (`None` when null); integers beyond 2^53 are refused for counts by the caller.
fn number_at(a: &ArrayRef, row: usize, column: &str) -> Result<Option<f64>> {
    if a.is_null(row) {
        return Ok(None);
    }
    let v = match a.data_type() {
        DataType::Float64 => a.as_primitive::<Float64Type>().value(row),
        DataType::Float32 => f64::from(a.as_primitive::<Float32Type>().value(row)),
        DataType::Int8 => f64::from(a.as_primitive::<Int8Type>().value(row)),
        DataType::Int16 => f64::from(a.as_primitive::<Int16Type>().value(row)),
        DataType::Int32 => f64::from(a.as_primitive::<Int32Type>().value(row)),
        DataType::Int64 => a.as_primitive::<Int64Type>().value(row) as f64,
        DataType::UInt8 => f64::from(a.as_primitive::<UInt8Type>().value(row)),
        DataType::UInt16 => f64::from(a.as_primitive::<UInt16Type>().value(row)),
        DataType::UInt32 => f64::from(a.as_primitive::<UInt32Type>().value(row)),
        DataType::UInt64 => a.as_primitive::<UInt64Type>().value(row) as f64,
        DataType::Decimal128(_, s) => {
            let x = a.as_primitive::<Decimal128Type>().value(row);
            let s = i32::from(*s);
            if s >= 0 {
                x as f64 / 10f64.powi(s)
            } else {
                x as f64 * 10f64.powi(-s)
            }
        }
        DataType::Null => return Ok(None),
        t => return Err(bad(column, format!("is {}; it must be numeric", type_name(t)))),
    };
    Ok(Some(v))
}

fn count_at(a: &ArrayRef, row: usize, column: &str) -> Result<u64> {
    // Exact for integer columns of any width.
    if a.is_null(row) {
        return Ok(0);
    }
    let exact: Option<i128> = match a.data_type() {
        DataType::Int64 => Some(i128::from(a.as_primitive::<Int64Type>().value(row))),
        DataType::UInt64 => Some(i128::from(a.as_primitive::<UInt64Type>().value(row))),
        DataType::Decimal128(_, 0) => Some(a.as_primitive::<Decimal128Type>().value(row)),
        _ => None,
    };
    match exact {
        Some(v) => u64::try_from(v).map_err(|_| bad(column, format!("holds {v}; counts must be whole numbers ≥ 0"))),
        None => to_count(number_at(a, row, column)?.unwrap_or(0.0), column),
    }
}

fn to_count(v: f64, column: &str) -> Result<u64> {
    if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= 9.007_199_254_740_992e15 {
        Ok(v as u64)
    } else {
        Err(bad(column, format!("holds {v}; counts must be whole numbers ≥ 0")))
    }
}

/// The rows of an aggregate table given as Arrow IPC (stream or file).
pub fn rows_from_ipc(bytes: Vec<u8>) -> Result<Vec<SummaryRow>> {
    let ds = Dataset::from_ipc(bytes).map_err(|mut e| {
        e.message = format!("the summary: {}", e.message);
        e
    })?;
    let schema = ds.schema().clone();
    let col = |name: &str| -> Result<Option<usize>> { Ok(schema.index_of(name).ok()) };
    let required = |name: &str| -> Result<usize> {
        col(name)?.ok_or_else(|| {
            Error::invalid_argument(
                "summary",
                format!(
                    "has no column `{name}`; it has {}. Use the table the sqlForAnalysis query returns",
                    schema.fields().iter().map(|f| format!("`{}`", f.name())).collect::<Vec<_>>().join(", ")
                ),
            )
        })
    };
    let seg = required("segment")?;
    let var = required("variant")?;
    let n = required("n")?;
    let counts = [
        "conversions",
        "conversion_nulls",
        "conversion_invalid",
        "revenue_nulls",
        "covariate_nulls",
        "overlapping_rows",
    ];
    let sums =
        ["revenue_sum", "revenue_sum_squares", "covariate_sum", "covariate_sum_squares", "revenue_covariate_sum"];
    let count_idx: Vec<Option<usize>> = counts.iter().map(|c| col(c)).collect::<Result<_>>()?;
    // Named metrics' columns `m<k>_<field>`: (column index, k, field).
    let metric_cols: Vec<(usize, usize, &str)> = schema
        .fields()
        .iter()
        .enumerate()
        .filter_map(|(i, f)| metric_column(f.name()).map(|(k, field)| (i, k, field)))
        .collect();
    let metric_count = metric_cols.iter().map(|&(_, k, _)| k).max().unwrap_or(0);
    let sum_idx: Vec<Option<usize>> = sums.iter().map(|c| col(c)).collect::<Result<_>>()?;
    let mut out = Vec::with_capacity(ds.num_rows());
    for batch in ds.batches() {
        for row in 0..batch.num_rows() {
            let c = |i: Option<usize>, name: &str| -> Result<u64> {
                i.map_or(Ok(0), |i| count_at(batch.column(i), row, name))
            };
            let f = |i: Option<usize>, name: &str| -> Result<f64> {
                Ok(i.map(|i| number_at(batch.column(i), row, name)).transpose()?.flatten().unwrap_or(0.0))
            };
            let mut r = SummaryRow {
                segment: text_at(batch.column(seg), row, "segment")?,
                variant: text_at(batch.column(var), row, "variant")?,
                ..Default::default()
            };
            r.cell.n = count_at(batch.column(n), row, "n")?;
            r.cell.conversions = c(count_idx[0], counts[0])?;
            r.cell.conversion_nulls = c(count_idx[1], counts[1])?;
            r.conversion_invalid = c(count_idx[2], counts[2])?;
            r.cell.revenue_nulls = c(count_idx[3], counts[3])?;
            r.cell.covariate_nulls = c(count_idx[4], counts[4])?;
            r.overlapping_rows = c(count_idx[5], counts[5])?;
            r.cell.revenue_sum = f(sum_idx[0], sums[0])?;
            r.cell.revenue_sum_squares = f(sum_idx[1], sums[1])?;
            r.cell.covariate_sum = f(sum_idx[2], sums[2])?;
            r.cell.covariate_sum_squares = f(sum_idx[3], sums[3])?;
            r.cell.revenue_covariate_sum = f(sum_idx[4], sums[4])?;
            r.metrics = vec![MetricRowValues::default(); metric_count];
            for &(i, k, field) in &metric_cols {
                let name = schema.field(i).name();
                let values = &mut r.metrics[k - 1];
                if MetricRowValues::is_count(field) {
                    values.set_count(field, c(Some(i), name)?);
                } else {
                    values.set_sum(field, f(Some(i), name)?);
                }
            }
            out.push(r);
        }
    }
    Ok(out)
}

/// A number given as a JSON/JS number, a BigInt (integer), a decimal string or null.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct Num(Option<f64>, Option<i128>);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, BigInt, numeric string or null")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Num, E> {
                Ok(Num(Some(v), None))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Num, E> {
                Ok(Num(Some(v as f64), Some(i128::from(v))))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Num, E> {
                Ok(Num(Some(v as f64), Some(i128::from(v))))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> std::result::Result<Num, E> {
                Ok(Num(Some(v as f64), Some(v)))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> std::result::Result<Num, E> {
                Ok(Num(Some(v as f64), i128::try_from(v).ok()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Num, E> {
                let t = v.trim();
                if let Ok(i) = t.parse::<i128>() {
                    return Ok(Num(Some(i as f64), Some(i)));
                }
                t.parse::<f64>().map(|f| Num(Some(f), None)).map_err(|_| E::custom(format!("`{v}` is not a number")))
            }
            fn visit_unit<E: de::Error>(self) -> std::result::Result<Num, E> {
                Ok(Num(None, None))
            }
            fn visit_none<E: de::Error>(self) -> std::result::Result<Num, E> {
                Ok(Num(None, None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Num, D::Error> {
                d.deserialize_any(V)
            }
        }
        d.deserialize_any(V)
    }
}

impl Num {
    fn count(&self, column: &str) -> Result<u64> {
        match (self.1, self.0) {
            (Some(i), _) => {
                u64::try_from(i).map_err(|_| bad(column, format!("holds {i}; counts must be whole numbers ≥ 0")))
            }
            (None, Some(f)) => to_count(f, column),
            (None, None) => Ok(0),
        }
    }
    fn float(&self) -> f64 {
        self.0.unwrap_or(0.0)
    }
}

/// A segment/variant key: text, or a number/bool written as text.
#[derive(Debug, Clone, PartialEq, Default)]
struct Key(Option<String>);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, number, bool or null")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Key, E> {
                Ok(Key(Some(v.to_string())))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Key, E> {
                Ok(Key(Some(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Key, E> {
                Ok(Key(Some(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Key, E> {
                Ok(Key(Some(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Key, E> {
                if v.fract() == 0.0 && v.abs() < 9.007_199_254_740_992e15 {
                    Ok(Key(Some(format!("{}", v as i64))))
                } else {
                    Ok(Key(Some(v.to_string())))
                }
            }
            fn visit_unit<E: de::Error>(self) -> std::result::Result<Key, E> {
                Ok(Key(None))
            }
            fn visit_none<E: de::Error>(self) -> std::result::Result<Key, E> {
                Ok(Key(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Key, D::Error> {
                d.deserialize_any(V)
            }
        }
        d.deserialize_any(V)
    }
}

/// One row as a JS/JSON object.
#[derive(Debug, Default)]
pub struct RowInput {
    segment: Key,
    variant: Key,
    values: Vec<(String, Num)>,
    /// Named metrics' values: (k, field, value) of the keys `m<k>_<field>`.
    metrics: Vec<(usize, &'static str, Num)>,
}

const ROW_KEYS: &[(&str, &str)] = &[
    ("n", "n"),
    ("conversions", "conversions"),
    ("conversion_nulls", "conversionNulls"),
    ("conversion_invalid", "conversionInvalid"),
    ("revenue_sum", "revenueSum"),
    ("revenue_sum_squares", "revenueSumSquares"),
    ("revenue_nulls", "revenueNulls"),
    ("covariate_sum", "covariateSum"),
    ("covariate_sum_squares", "covariateSumSquares"),
    ("revenue_covariate_sum", "revenueCovariateSum"),
    ("covariate_nulls", "covariateNulls"),
    ("overlapping_rows", "overlappingRows"),
];

impl<'de> Deserialize<'de> for RowInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RowInput;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a row object { segment, variant, n, conversions, … }")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<RowInput, A::Error> {
                let mut r = RowInput::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "segment" => r.segment = map.next_value()?,
                        "variant" => r.variant = map.next_value()?,
                        k => match ROW_KEYS.iter().find(|(s, c)| *s == k || *c == k) {
                            Some((snake, _)) => {
                                let v: Num = map.next_value().map_err(|e| de::Error::custom(format!("`{k}`: {e}")))?;
                                r.values.push((snake.to_string(), v));
                            }
                            None => match metric_column(k) {
                                Some((m, field)) => {
                                    let v: Num =
                                        map.next_value().map_err(|e| de::Error::custom(format!("`{k}`: {e}")))?;
                                    r.metrics.push((m, field, v));
                                }
                                None => {
                                    let _ = map.next_value::<de::IgnoredAny>()?;
                                }
                            },
                        },
                    }
                }
                Ok(r)
            }
        }
        d.deserialize_any(V)
    }
}

/// A list of rows.
#[derive(Debug, Default)]
pub struct RowsInput(pub Vec<RowInput>);

impl<'de> Deserialize<'de> for RowsInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RowsInput;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of row objects")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<RowsInput, A::Error> {
                let mut v = Vec::new();
                let mut i = 0usize;
                while let Some(r) =
                    seq.next_element::<RowInput>().map_err(|e| de::Error::custom(format!("row {i}: {e}")))?
                {
                    v.push(r);
                    i += 1;
                }
                Ok(RowsInput(v))
            }
        }
        d.deserialize_seq(V)
    }
}

impl RowsInput {
    /// Convert to [`SummaryRow`]s (counts checked to be whole numbers ≥ 0).
    pub fn into_rows(self) -> Result<Vec<SummaryRow>> {
        let mut out = Vec::with_capacity(self.0.len());
        for (i, r) in self.0.into_iter().enumerate() {
            let mut row = SummaryRow { segment: r.segment.0, variant: r.variant.0, ..Default::default() };
            let mut has_n = false;
            for (k, v) in &r.values {
                let ctx = |mut e: Error| {
                    e.message = format!("row {i}: {}", e.message);
                    e
                };
                match k.as_str() {
                    "n" => {
                        has_n = true;
                        row.cell.n = v.count(k).map_err(ctx)?
                    }
                    "conversions" => row.cell.conversions = v.count(k).map_err(ctx)?,
                    "conversion_nulls" => row.cell.conversion_nulls = v.count(k).map_err(ctx)?,
                    "conversion_invalid" => row.conversion_invalid = v.count(k).map_err(ctx)?,
                    "revenue_nulls" => row.cell.revenue_nulls = v.count(k).map_err(ctx)?,
                    "covariate_nulls" => row.cell.covariate_nulls = v.count(k).map_err(ctx)?,
                    "overlapping_rows" => row.overlapping_rows = v.count(k).map_err(ctx)?,
                    "revenue_sum" => row.cell.revenue_sum = v.float(),
                    "revenue_sum_squares" => row.cell.revenue_sum_squares = v.float(),
                    "covariate_sum" => row.cell.covariate_sum = v.float(),
                    "covariate_sum_squares" => row.cell.covariate_sum_squares = v.float(),
                    "revenue_covariate_sum" => row.cell.revenue_covariate_sum = v.float(),
                    _ => {}
                }
            }
            for (k, field, v) in &r.metrics {
                if row.metrics.len() < *k {
                    row.metrics.resize(*k, MetricRowValues::default());
                }
                let values = &mut row.metrics[k - 1];
                if MetricRowValues::is_count(field) {
                    let name = format!("m{k}_{field}");
                    values.set_count(
                        field,
                        v.count(&name).map_err(|mut e| {
                            e.message = format!("row {i}: {}", e.message);
                            e
                        })?,
                    );
                } else {
                    values.set_sum(field, v.float());
                }
            }
            if !has_n {
                return Err(Error::invalid_argument("summary", format!("row {i} has no `n` (its unit count)")));
            }
            out.push(row);
        }
        Ok(out)
    }
}
