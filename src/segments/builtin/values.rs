//! Reading dataset columns for the built-in segmentations: numeric, date and timestamp columns as
//! `Vec<Option<f64>>`, tie-break (id) columns as exactly comparable keys, and the calendar helpers the
//! built-ins need (`YYYY-MM-DD` parsing and formatting, without a clock: the core never reads "now").
//!
//! Conversions to `f64` ([`read_numeric`]):
//!
//! | Arrow type | value |
//! | --- | --- |
//! | `int8`…`int64`, `uint8`…`uint64` | the integer (integers beyond ±2^53 round to the nearest `f64`) |
//! | `float32`, `float64` | the float; NaN and ±∞ read as null |
//! | `decimal128(p, s)` | the unscaled integer × 10^(−s) |
//! | `date32` | days since 1970-01-01 |
//! | `date64` | milliseconds since the epoch ÷ 86 400 000 (fractional days) |
//! | `timestamp[unit, tz?]` | the instant in days since 1970-01-01T00:00:00Z, fractional (the time zone only says how to display an instant, so it does not change the value) |
//! | `bool`, text | not read: `TYPE_MISMATCH` |
//!
//! Nulls (including a dictionary key pointing at a null value) read as `None`.

use std::cmp::Ordering;

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrayRef};
use arrow_schema::{DataType, TimeUnit};

use crate::error::{Error, ErrorCode, Result};
use crate::ingest::{type_name, value_kind, Dataset, ValueKind};
use crate::messages::{nested, Message};
use crate::segments::calendar::{nanos_per_unit, NANOS_PER_DAY};

/// Milliseconds in a day.
const MS_PER_DAY: f64 = 86_400_000.0;

/// A column read as numbers, with what its numbers mean.
#[derive(Debug, Clone, PartialEq)]
pub struct NumericColumn {
    /// Column name.
    pub name: String,
    /// [`ValueKind::Numeric`], [`ValueKind::Date`] or [`ValueKind::Timestamp`].
    pub kind: ValueKind,
    /// One value per dataset row; `None` for null (and for NaN/±∞ floats).
    pub values: Vec<Option<f64>>,
}

impl NumericColumn {
    /// Whether the values are points in time (days since the epoch) rather than plain numbers.
    pub fn is_temporal(&self) -> bool {
        matches!(self.kind, ValueKind::Date | ValueKind::Timestamp)
    }

    /// The largest non-null value.
    pub fn max(&self) -> Option<f64> {
        self.values.iter().flatten().copied().reduce(f64::max)
    }
}

/// Read column `name` as numbers (see the module docs for each type). `option` names the option that chose the
/// column, for error messages; `purpose` is the catalogue key of what the caller needs the column for
/// (`purpose_orders`: "a number of orders").
/// Unknown columns give the dataset's `UNKNOWN_COLUMN` error; bool and text columns give `TYPE_MISMATCH`.
pub fn read_numeric(dataset: &Dataset, name: &str, option: &str, purpose: &str) -> Result<NumericColumn> {
    let index = dataset.column_index(name)?;
    let data_type = dataset.data_type(index);
    let kind = value_kind(data_type);
    if !matches!(kind, Some(ValueKind::Numeric | ValueKind::Date | ValueKind::Timestamp)) {
        let what = match kind {
            Some(ValueKind::Boolean) => "kind_bool",
            Some(ValueKind::Text) => "kind_text",
            _ => "kind_other",
        };
        let params = [option, name, &type_name(data_type), &nested(what, &[]), &nested(purpose, &[])];
        return Err(Message::new("builtin_not_numeric", params).into_error(ErrorCode::TypeMismatch).with_subject(name));
    }
    let mut values = Vec::with_capacity(dataset.num_rows());
    for chunk in dataset.column_chunks(index) {
        append_f64(chunk, &mut values)?;
    }
    Ok(NumericColumn { name: name.to_string(), kind: kind.unwrap_or(ValueKind::Numeric), values })
}

fn push_primitive<T: ArrowPrimitiveType>(
    array: &ArrayRef,
    out: &mut Vec<Option<f64>>,
    convert: impl Fn(T::Native) -> f64,
) {
    let array = array.as_primitive::<T>();
    out.extend(array.iter().map(|v| v.map(&convert).filter(|x| x.is_finite())));
}

fn append_f64(array: &ArrayRef, out: &mut Vec<Option<f64>>) -> Result<()> {
    match array.data_type() {
        DataType::Int8 => push_primitive::<Int8Type>(array, out, f64::from),
        DataType::Int16 => push_primitive::<Int16Type>(array, out, f64::from),
        DataType::Int32 => push_primitive::<Int32Type>(array, out, f64::from),
        DataType::Int64 => push_primitive::<Int64Type>(array, out, |v| v as f64),
        DataType::UInt8 => push_primitive::<UInt8Type>(array, out, f64::from),
        DataType::UInt16 => push_primitive::<UInt16Type>(array, out, f64::from),
        DataType::UInt32 => push_primitive::<UInt32Type>(array, out, f64::from),
        DataType::UInt64 => push_primitive::<UInt64Type>(array, out, |v| v as f64),
        DataType::Float32 => push_primitive::<Float32Type>(array, out, f64::from),
        DataType::Float64 => push_primitive::<Float64Type>(array, out, |v| v),
        DataType::Decimal128(_, scale) => {
            let scale = i32::from(*scale);
            // Dividing by an exact power of ten rounds once (multiplying by 10^-s would round twice).
            if scale >= 0 {
                let divisor = 10f64.powi(scale);
                push_primitive::<Decimal128Type>(array, out, |v| v as f64 / divisor)
            } else {
                let factor = 10f64.powi(-scale);
                push_primitive::<Decimal128Type>(array, out, |v| v as f64 * factor)
            }
        }
        DataType::Date32 => push_primitive::<Date32Type>(array, out, f64::from),
        DataType::Date64 => push_primitive::<Date64Type>(array, out, |v| v as f64 / MS_PER_DAY),
        DataType::Timestamp(unit, _) => {
            let per_day = units_per_day(unit);
            match unit {
                TimeUnit::Second => push_primitive::<TimestampSecondType>(array, out, |v| v as f64 / per_day),
                TimeUnit::Millisecond => push_primitive::<TimestampMillisecondType>(array, out, |v| v as f64 / per_day),
                TimeUnit::Microsecond => push_primitive::<TimestampMicrosecondType>(array, out, |v| v as f64 / per_day),
                TimeUnit::Nanosecond => push_primitive::<TimestampNanosecondType>(array, out, |v| v as f64 / per_day),
            }
        }
        other => {
            return Err(Error::new(
                ErrorCode::Internal,
                format!("built-in segments: no numeric reader for {}", type_name(other)),
            ))
        }
    }
    Ok(())
}

fn units_per_day(unit: &TimeUnit) -> f64 {
    (NANOS_PER_DAY / nanos_per_unit(*unit)) as f64
}

/// A tie-break column, read so that it compares exactly as SQL `ORDER BY id ASC` does: integers (and decimals,
/// dates, timestamps, booleans as their raw integers) compare as integers without rounding, floats numerically,
/// text byte-wise (DuckDB's default binary collation). Nulls sort last (SQL's default `NULLS LAST` for ascending
/// order in DuckDB).
#[derive(Debug, Clone, PartialEq)]
pub enum IdColumn {
    /// Integer-like keys.
    Int(Vec<Option<i128>>),
    /// Float keys (NaN reads as null).
    Float(Vec<Option<f64>>),
    /// Text keys.
    Text(Vec<Option<String>>),
}

impl IdColumn {
    /// Compare the keys of rows `a` and `b` (nulls last).
    pub fn cmp_rows(&self, a: usize, b: usize) -> Ordering {
        fn nulls_last<T>(x: &Option<T>, y: &Option<T>, cmp: impl Fn(&T, &T) -> Ordering) -> Ordering {
            match (x, y) {
                (Some(x), Some(y)) => cmp(x, y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
        }
        match self {
            IdColumn::Int(v) => nulls_last(&v[a], &v[b], |x, y| x.cmp(y)),
            IdColumn::Float(v) => nulls_last(&v[a], &v[b], |x, y| x.total_cmp(y)),
            IdColumn::Text(v) => nulls_last(&v[a], &v[b], |x, y| x.as_bytes().cmp(y.as_bytes())),
        }
    }
}

/// Read column `name` as tie-break keys (any supported type).
pub fn read_id(dataset: &Dataset, name: &str) -> Result<IdColumn> {
    let index = dataset.column_index(name)?;
    let data_type = dataset.data_type(index).clone();
    let chunks: Vec<&ArrayRef> = dataset.column_chunks(index).collect();
    let n = dataset.num_rows();
    let ints = |f: &dyn Fn(&ArrayRef, &mut Vec<Option<i128>>)| {
        let mut out = Vec::with_capacity(n);
        chunks.iter().for_each(|c| f(c, &mut out));
        IdColumn::Int(out)
    };
    fn prim<T: ArrowPrimitiveType>(a: &ArrayRef, out: &mut Vec<Option<i128>>, f: impl Fn(T::Native) -> i128) {
        out.extend(a.as_primitive::<T>().iter().map(|v| v.map(&f)));
    }
    Ok(match &data_type {
        DataType::Int8 => ints(&|a, o| prim::<Int8Type>(a, o, i128::from)),
        DataType::Int16 => ints(&|a, o| prim::<Int16Type>(a, o, i128::from)),
        DataType::Int32 => ints(&|a, o| prim::<Int32Type>(a, o, i128::from)),
        DataType::Int64 => ints(&|a, o| prim::<Int64Type>(a, o, i128::from)),
        DataType::UInt8 => ints(&|a, o| prim::<UInt8Type>(a, o, i128::from)),
        DataType::UInt16 => ints(&|a, o| prim::<UInt16Type>(a, o, i128::from)),
        DataType::UInt32 => ints(&|a, o| prim::<UInt32Type>(a, o, i128::from)),
        DataType::UInt64 => ints(&|a, o| prim::<UInt64Type>(a, o, i128::from)),
        DataType::Decimal128(_, _) => ints(&|a, o| prim::<Decimal128Type>(a, o, |v| v)),
        DataType::Date32 => ints(&|a, o| prim::<Date32Type>(a, o, i128::from)),
        DataType::Date64 => ints(&|a, o| prim::<Date64Type>(a, o, i128::from)),
        DataType::Timestamp(unit, _) => match unit {
            TimeUnit::Second => ints(&|a, o| prim::<TimestampSecondType>(a, o, i128::from)),
            TimeUnit::Millisecond => ints(&|a, o| prim::<TimestampMillisecondType>(a, o, i128::from)),
            TimeUnit::Microsecond => ints(&|a, o| prim::<TimestampMicrosecondType>(a, o, i128::from)),
            TimeUnit::Nanosecond => ints(&|a, o| prim::<TimestampNanosecondType>(a, o, i128::from)),
        },
        DataType::Boolean => ints(&|a, o| o.extend(a.as_boolean().iter().map(|v| v.map(i128::from)))),
        DataType::Float32 | DataType::Float64 => {
            let mut out = Vec::with_capacity(n);
            for chunk in &chunks {
                append_f64(chunk, &mut out)?;
            }
            IdColumn::Float(out)
        }
        _ => {
            let mut out = Vec::with_capacity(n);
            for chunk in &chunks {
                append_text(chunk, &mut out)?;
            }
            IdColumn::Text(out)
        }
    })
}

fn append_text(array: &ArrayRef, out: &mut Vec<Option<String>>) -> Result<()> {
    match array.data_type() {
        DataType::Utf8 => out.extend(array.as_string::<i32>().iter().map(|v| v.map(str::to_owned))),
        DataType::LargeUtf8 => out.extend(array.as_string::<i64>().iter().map(|v| v.map(str::to_owned))),
        DataType::Utf8View => out.extend(array.as_string_view().iter().map(|v| v.map(str::to_owned))),
        DataType::Dictionary(_, _) => {
            let dict = array.as_any_dictionary();
            let mut values = Vec::with_capacity(dict.values().len());
            append_text(dict.values(), &mut values)?;
            if values.is_empty() {
                // Every key is null (normalized_keys would panic on an empty dictionary).
                out.extend(std::iter::repeat_n(None, array.len()));
                return Ok(());
            }
            let keys = dict.normalized_keys();
            let key_nulls = dict.keys().logical_nulls();
            for (i, key) in keys.into_iter().enumerate() {
                let is_null = key_nulls.as_ref().is_some_and(|n| n.is_null(i));
                out.push(if is_null { None } else { values[key].clone() });
            }
        }
        other => {
            return Err(Error::new(
                ErrorCode::Internal,
                format!("built-in segments: no key reader for {}", type_name(other)),
            ))
        }
    }
    Ok(())
}
