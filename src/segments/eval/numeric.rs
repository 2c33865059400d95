//! Numeric kernels: integers (and everything stored as integers: decimal128, dates, timestamps) against
//! ranges, floats with DuckDB's NaN order. The typed loops over `values()` writing 64 rows per word are in
//! segmetry-kernels (compiled for speed); this module picks the one for the column's type.

use arrow_array::types::*;
use arrow_array::{Array, ArrowPrimitiveType, PrimitiveArray};
use segmetry_kernels::floats::{float32_bits, float64_bits};
use segmetry_kernels::ints::NativeInt;

use super::nulls::valid_words;
use super::Tv;
use crate::error::{Error, ErrorCode, Result};
use crate::segments::resolve::FloatTest;

fn downcast<T: ArrowPrimitiveType>(array: &dyn Array) -> Result<&PrimitiveArray<T>> {
    array
        .as_any()
        .downcast_ref::<PrimitiveArray<T>>()
        .ok_or_else(|| Error::new(ErrorCode::Internal, format!("column is not {:?}", T::DATA_TYPE)))
}

fn prim_int<T>(array: &dyn Array, ranges: &[(i128, i128)]) -> Result<(Vec<u64>, Option<Vec<u64>>)>
where
    T: ArrowPrimitiveType,
    T::Native: NativeInt,
{
    let a = downcast::<T>(array)?;
    let bits = T::Native::ranges_bits(a.values(), ranges);
    Ok((bits, valid_words(a.nulls(), a.len())))
}

/// Integer-domain kernel over any integer-stored column. Returns raw bits and validity.
pub fn int_kernel(array: &dyn Array, ranges: &[(i128, i128)]) -> Result<(Vec<u64>, Option<Vec<u64>>)> {
    use arrow_schema::{DataType::*, TimeUnit};
    match array.data_type() {
        Int8 => prim_int::<Int8Type>(array, ranges),
        Int16 => prim_int::<Int16Type>(array, ranges),
        Int32 => prim_int::<Int32Type>(array, ranges),
        Int64 => prim_int::<Int64Type>(array, ranges),
        UInt8 => prim_int::<UInt8Type>(array, ranges),
        UInt16 => prim_int::<UInt16Type>(array, ranges),
        UInt32 => prim_int::<UInt32Type>(array, ranges),
        UInt64 => prim_int::<UInt64Type>(array, ranges),
        Decimal128(_, _) => prim_int::<Decimal128Type>(array, ranges),
        Date32 => prim_int::<Date32Type>(array, ranges),
        Date64 => prim_int::<Date64Type>(array, ranges),
        Timestamp(TimeUnit::Second, _) => prim_int::<TimestampSecondType>(array, ranges),
        Timestamp(TimeUnit::Millisecond, _) => prim_int::<TimestampMillisecondType>(array, ranges),
        Timestamp(TimeUnit::Microsecond, _) => prim_int::<TimestampMicrosecondType>(array, ranges),
        Timestamp(TimeUnit::Nanosecond, _) => prim_int::<TimestampNanosecondType>(array, ranges),
        other => Err(Error::new(ErrorCode::Internal, format!("integer kernel on {other:?}"))),
    }
}

/// Float kernel. Returns raw bits and validity.
pub fn float_kernel(array: &dyn Array, test: &FloatTest) -> Result<(Vec<u64>, Option<Vec<u64>>)> {
    match array.data_type() {
        arrow_schema::DataType::Float32 => {
            let a = downcast::<Float32Type>(array)?;
            Ok((float32_bits(a.values(), test), valid_words(a.nulls(), a.len())))
        }
        arrow_schema::DataType::Float64 => {
            let a = downcast::<Float64Type>(array)?;
            Ok((float64_bits(a.values(), test), valid_words(a.nulls(), a.len())))
        }
        other => Err(Error::new(ErrorCode::Internal, format!("float kernel on {other:?}"))),
    }
}

/// Helper for the Tv constructor used by callers.
pub fn finish(parts: (Vec<u64>, Option<Vec<u64>>), n: usize) -> Tv {
    super::nulls::with_validity(parts.0, parts.1, n)
}
