//! Reading value columns row by row in one of two numeric domains (exact integers or floats), and gathering
//! output columns of any type from row locations (so `min`, `max`, `first`, `last` and joins keep the input's
//! type: a date stays a date, a dictionary stays a dictionary).

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{new_null_array, Array, ArrayRef, ArrowPrimitiveType, PrimitiveArray};
use arrow_buffer::{BooleanBufferBuilder, NullBuffer};
use arrow_schema::{DataType, TimeUnit};

use crate::error::{Error, ErrorCode, Result};
use crate::ingest::{value_kind, ValueKind};

/// A row location: batch index in the high 32 bits, row in the low 32. [`NO_ROW`] means none.
pub type Loc = u64;

/// No row (an empty group, an unmatched join row).
pub const NO_ROW: Loc = u64::MAX;

/// Pack a location.
#[inline]
pub fn loc(batch: usize, row: usize) -> Loc {
    ((batch as u64) << 32) | row as u64
}

/// How a column's values are read for arithmetic and ordering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    /// Integers, decimals (unscaled), dates and timestamps (in their unit): exact `i128`.
    Exact,
    /// Floats: `f64`.
    Float,
    /// Text: compared as strings.
    Text,
    /// Booleans: `false < true`.
    Bool,
}

/// The domain of a supported type.
pub fn domain(data_type: &DataType) -> Domain {
    match value_kind(data_type) {
        Some(ValueKind::Text) => Domain::Text,
        Some(ValueKind::Boolean) => Domain::Bool,
        _ if matches!(data_type, DataType::Float32 | DataType::Float64 | DataType::UInt64) => Domain::Float,
        _ => Domain::Exact,
    }
}

/// Call `f(row, value)` for an exact-domain chunk (`None` for nulls).
pub fn for_each_exact(array: &ArrayRef, mut f: impl FnMut(usize, Option<i128>)) {
    macro_rules! prim {
        ($t:ty) => {{
            let a = array.as_primitive::<$t>();
            if a.null_count() == 0 {
                for (i, v) in a.values().iter().enumerate() {
                    f(i, Some(*v as i128));
                }
            } else {
                for i in 0..a.len() {
                    f(i, a.is_valid(i).then(|| a.value(i) as i128));
                }
            }
        }};
    }
    match array.data_type() {
        DataType::Int8 => prim!(Int8Type),
        DataType::Int16 => prim!(Int16Type),
        DataType::Int32 => prim!(Int32Type),
        DataType::Int64 => prim!(Int64Type),
        DataType::UInt8 => prim!(UInt8Type),
        DataType::UInt16 => prim!(UInt16Type),
        DataType::UInt32 => prim!(UInt32Type),
        DataType::Decimal128(_, _) => prim!(Decimal128Type),
        DataType::Date32 => prim!(Date32Type),
        DataType::Date64 => prim!(Date64Type),
        DataType::Timestamp(TimeUnit::Second, _) => prim!(TimestampSecondType),
        DataType::Timestamp(TimeUnit::Millisecond, _) => prim!(TimestampMillisecondType),
        DataType::Timestamp(TimeUnit::Microsecond, _) => prim!(TimestampMicrosecondType),
        DataType::Timestamp(TimeUnit::Nanosecond, _) => prim!(TimestampNanosecondType),
        _ => (0..array.len()).for_each(|i| f(i, None)),
    }
}

/// Call `f(row, value)` for a numeric chunk as `f64` (decimals scaled; `None` for nulls).
pub fn for_each_f64(array: &ArrayRef, mut f: impl FnMut(usize, Option<f64>)) {
    match array.data_type() {
        DataType::Float64 => {
            let a = array.as_primitive::<Float64Type>();
            for i in 0..a.len() {
                f(i, a.is_valid(i).then(|| a.value(i)));
            }
        }
        DataType::Float32 => {
            let a = array.as_primitive::<Float32Type>();
            for i in 0..a.len() {
                f(i, a.is_valid(i).then(|| a.value(i) as f64));
            }
        }
        DataType::UInt64 => {
            let a = array.as_primitive::<UInt64Type>();
            for i in 0..a.len() {
                f(i, a.is_valid(i).then(|| a.value(i) as f64));
            }
        }
        DataType::Decimal128(_, scale) => {
            let div = 10f64.powi(*scale as i32);
            for_each_exact(array, |i, v| f(i, v.map(|v| v as f64 / div)));
        }
        _ => for_each_exact(array, |i, v| f(i, v.map(|v| v as f64))),
    }
}

/// [`gather`] from one batch of primitive values; `missing` holds one value of the same type, or a null.
fn gather_one<T: ArrowPrimitiveType>(chunk: &PrimitiveArray<T>, locs: &[Loc], missing: &dyn Array) -> ArrayRef {
    let fill = missing.as_primitive_opt::<T>().filter(|f| f.is_valid(0)).map(|f| f.value(0));
    let (values, nulls) = (chunk.values(), chunk.nulls());
    let mut out = Vec::with_capacity(locs.len());
    let mut valid = BooleanBufferBuilder::new(locs.len());
    for &l in locs {
        if l == NO_ROW {
            out.push(fill.unwrap_or_default());
            valid.append(fill.is_some());
        } else {
            let row = l as u32 as usize;
            out.push(values[row]);
            valid.append(nulls.is_none_or(|n| n.is_valid(row)));
        }
    }
    let nulls = Some(NullBuffer::new(valid.finish())).filter(|n| n.null_count() > 0);
    Arc::new(PrimitiveArray::<T>::new(out.into(), nulls).with_data_type(chunk.data_type().clone()))
}

/// Whether a column holds numbers (what `sum` and `mean` accept).
pub fn is_numeric(data_type: &DataType) -> bool {
    value_kind(data_type) == Some(ValueKind::Numeric)
}

/// Gather one output column: row `i` is the value at `locs[i]` in `chunks` (one chunk per batch), or, where
/// `locs[i] == NO_ROW`, the single value of `missing` (a null when `None`).
pub fn gather(chunks: &[ArrayRef], locs: &[Loc], data_type: &DataType, missing: Option<ArrayRef>) -> Result<ArrayRef> {
    let missing = missing.unwrap_or_else(|| new_null_array(data_type, 1));
    // One batch of the numbers an aggregate makes (a join onto an aggregate): a typed loop, where `interleave`
    // resolves a (batch, row) pair per value through calls the compiler does not inline at opt-level "z".
    if let [chunk] = chunks {
        match chunk.data_type() {
            DataType::Int64 => return Ok(gather_one::<Int64Type>(chunk.as_primitive(), locs, missing.as_ref())),
            DataType::Float64 => return Ok(gather_one::<Float64Type>(chunk.as_primitive(), locs, missing.as_ref())),
            _ => {}
        }
    }
    let mut sources: Vec<&dyn Array> = chunks.iter().map(|c| c.as_ref()).collect();
    let missing_source = sources.len();
    sources.push(missing.as_ref());
    let indices: Vec<(usize, usize)> = locs
        .iter()
        .map(|&l| if l == NO_ROW { (missing_source, 0) } else { ((l >> 32) as usize, (l & 0xFFFF_FFFF) as usize) })
        .collect();
    arrow_select::interleave::interleave(&sources, &indices)
        .map_err(|e| Error::new(ErrorCode::Internal, format!("could not build an output column: {e}")))
}

#[cfg(test)]
mod tests {
    use arrow_array::{Float64Array, Int64Array, StringArray};

    use super::*;

    #[test]
    fn gathers_rows_fills_and_nulls_from_one_batch_or_several() {
        let locs = [loc(0, 2), NO_ROW, loc(0, 1), loc(0, 0)];
        let split = [loc(1, 0), NO_ROW, loc(0, 1), loc(0, 0)];
        let both = |array: ArrayRef, fill: Option<ArrayRef>| {
            let one = gather(std::slice::from_ref(&array), &locs, array.data_type(), fill.clone()).unwrap();
            let two = gather(&[array.slice(0, 2), array.slice(2, 1)], &split, array.data_type(), fill).unwrap();
            assert_eq!(one.as_ref(), two.as_ref());
            one
        };
        let counts: ArrayRef = Arc::new(Int64Array::from(vec![Some(3), None, Some(5)]));
        let zero: ArrayRef = Arc::new(Int64Array::from(vec![0]));
        assert_eq!(both(counts.clone(), Some(zero)).as_ref(), &Int64Array::from(vec![Some(5), Some(0), None, Some(3)]));
        assert_eq!(both(counts, None).as_ref(), &Int64Array::from(vec![Some(5), None, None, Some(3)]));
        let sums: ArrayRef = Arc::new(Float64Array::from(vec![1.5, 2.5, -0.0]));
        assert_eq!(both(sums, None).as_ref(), &Float64Array::from(vec![Some(-0.0), None, Some(2.5), Some(1.5)]));
        let text: ArrayRef = Arc::new(StringArray::from(vec![Some("a"), None, Some("c")]));
        let dash: ArrayRef = Arc::new(StringArray::from(vec!["-"]));
        assert_eq!(both(text, Some(dash)).as_ref(), &StringArray::from(vec![Some("c"), Some("-"), None, Some("a")]));
    }
}
