//! Reading members out of a bitmap: row indices, or the values of an id column.

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrowPrimitiveType};
use arrow_schema::DataType;

use super::Bitmap;
use crate::error::{Error, ErrorCode, Result};
use crate::ingest::{type_name, Dataset};

/// Members as a typed list. Rows whose id is null are left out.
#[derive(Debug, Clone, PartialEq)]
pub enum Members {
    /// Row indices (no id column given).
    Rows(Vec<u32>),
    /// int8/int16/int32 ids.
    I32(Vec<i32>),
    /// uint8/uint16/uint32 ids.
    U32(Vec<u32>),
    /// int64 ids.
    I64(Vec<i64>),
    /// uint64 ids.
    U64(Vec<u64>),
    /// float ids.
    F64(Vec<f64>),
    /// Text ids, and decimal ids as exact text.
    Text(Vec<String>),
}

impl Members {
    /// How many.
    pub fn len(&self) -> usize {
        match self {
            Members::Rows(v) | Members::U32(v) => v.len(),
            Members::I32(v) => v.len(),
            Members::I64(v) => v.len(),
            Members::U64(v) => v.len(),
            Members::F64(v) => v.len(),
            Members::Text(v) => v.len(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Per batch: the members' in-batch row indices.
fn per_batch(dataset: &Dataset, bitmap: &Bitmap) -> Vec<Vec<usize>> {
    let mut out = Vec::with_capacity(dataset.batches().len());
    let mut ones = bitmap.iter_ones().peekable();
    let mut start = 0usize;
    for batch in dataset.batches() {
        let end = start + batch.num_rows();
        let mut rows = Vec::new();
        while let Some(&i) = ones.peek() {
            if i >= end {
                break;
            }
            rows.push(i - start);
            ones.next();
        }
        out.push(rows);
        start = end;
    }
    out
}

fn prim<T: ArrowPrimitiveType, O>(
    dataset: &Dataset,
    column: usize,
    rows: &[Vec<usize>],
    map: impl Fn(T::Native) -> O,
) -> Vec<O> {
    let mut out = Vec::new();
    for (chunk, rows) in dataset.column_chunks(column).zip(rows) {
        let a = chunk.as_primitive::<T>();
        for &r in rows {
            if a.is_valid(r) {
                out.push(map(a.value(r)));
            }
        }
    }
    out
}

fn text(dataset: &Dataset, column: usize, rows: &[Vec<usize>]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for (chunk, rows) in dataset.column_chunks(column).zip(rows) {
        for &r in rows {
            if chunk.is_valid(r) {
                if let Some(s) = string_at(chunk.as_ref(), r)? {
                    out.push(s);
                }
            }
        }
    }
    Ok(out)
}

fn string_at(array: &dyn Array, i: usize) -> Result<Option<String>> {
    Ok(match array.data_type() {
        DataType::Utf8 => Some(array.as_string::<i32>().value(i).to_string()),
        DataType::LargeUtf8 => Some(array.as_string::<i64>().value(i).to_string()),
        DataType::Utf8View => Some(array.as_string_view().value(i).to_string()),
        DataType::Dictionary(_, _) => {
            let dict = array.as_any_dictionary();
            let key = dict.normalized_keys().get(i).copied();
            match key {
                Some(k) if dict.values().is_valid(k) => string_at(dict.values().as_ref(), k)?,
                _ => None,
            }
        }
        other => return Err(Error::new(ErrorCode::Internal, format!("not text: {other:?}"))),
    })
}

pub(crate) fn decimal_text(v: i128, scale: i8) -> String {
    super::lexer::Number { mantissa: v, scale: scale.max(0) as u32 }.to_text()
}

/// The members of `bitmap`: row indices without `column`, else the id column's values (nulls left out).
pub fn members(dataset: &Dataset, bitmap: &Bitmap, column: Option<&str>) -> Result<Members> {
    if bitmap.len() != dataset.num_rows() {
        return Err(Error::new(ErrorCode::InvalidArgument, "the segment was evaluated on a different number of rows"));
    }
    let Some(name) = column else {
        if dataset.num_rows() > u32::MAX as usize {
            return Err(Error::new(ErrorCode::InvalidArgument, "more than 2^32 rows: pass an id column"));
        }
        return Ok(Members::Rows(bitmap.iter_ones().map(|i| i as u32).collect()));
    };
    let column = dataset.column_index(name)?;
    let rows = per_batch(dataset, bitmap);
    let ds = dataset;
    Ok(match dataset.data_type(column) {
        DataType::Int8 => Members::I32(prim::<Int8Type, _>(ds, column, &rows, i32::from)),
        DataType::Int16 => Members::I32(prim::<Int16Type, _>(ds, column, &rows, i32::from)),
        DataType::Int32 => Members::I32(prim::<Int32Type, _>(ds, column, &rows, |v| v)),
        DataType::UInt8 => Members::U32(prim::<UInt8Type, _>(ds, column, &rows, u32::from)),
        DataType::UInt16 => Members::U32(prim::<UInt16Type, _>(ds, column, &rows, u32::from)),
        DataType::UInt32 => Members::U32(prim::<UInt32Type, _>(ds, column, &rows, |v| v)),
        DataType::Int64 => Members::I64(prim::<Int64Type, _>(ds, column, &rows, |v| v)),
        DataType::UInt64 => Members::U64(prim::<UInt64Type, _>(ds, column, &rows, |v| v)),
        DataType::Float32 => Members::F64(prim::<Float32Type, _>(ds, column, &rows, f64::from)),
        DataType::Float64 => Members::F64(prim::<Float64Type, _>(ds, column, &rows, |v| v)),
        DataType::Decimal128(_, s) => {
            let s = *s;
            Members::Text(prim::<Decimal128Type, _>(ds, column, &rows, |v| decimal_text(v, s)))
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(_, _) => {
            Members::Text(text(ds, column, &rows)?)
        }
        other => {
            let message = crate::messages::Message::new("member_id_type", [name.to_string(), type_name(other)]);
            return Err(message.into_error(ErrorCode::TypeMismatch).with_subject(name));
        }
    })
}
