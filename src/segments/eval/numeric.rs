//! Numeric kernels: integers (and everything stored as integers: decimal128, dates, timestamps) against
//! ranges, floats with DuckDB's NaN order. Typed loops over `values()` writing 64 rows per word.

#![allow(clippy::neg_cmp_op_on_partial_ord)] // NaN order: `!(v <= x)` is deliberately TRUE for NaN.

use arrow_array::types::*;
use arrow_array::{Array, ArrowPrimitiveType, PrimitiveArray};

use super::nulls::valid_words;
use super::{fill, Tv};
use crate::error::{Error, ErrorCode, Result};
use crate::segments::lexer::CmpOp;
use crate::segments::resolve::FloatTest;

/// Native integer types with an exact i128 image.
pub trait NativeInt: Copy + PartialOrd + Into<i128> + TryFrom<i128> {
    /// Smallest value.
    const LO: i128;
    /// Largest value.
    const HI: i128;
}

macro_rules! native {
    ($($t:ty),*) => {$(impl NativeInt for $t { const LO: i128 = <$t>::MIN as i128; const HI: i128 = <$t>::MAX as i128; })*};
}
native!(i8, i16, i32, i64, u8, u16, u32, u64);
impl NativeInt for i128 {
    const LO: i128 = i128::MIN;
    const HI: i128 = i128::MAX;
}

fn downcast<T: ArrowPrimitiveType>(array: &dyn Array) -> Result<&PrimitiveArray<T>> {
    array
        .as_any()
        .downcast_ref::<PrimitiveArray<T>>()
        .ok_or_else(|| Error::new(ErrorCode::Internal, format!("column is not {:?}", T::DATA_TYPE)))
}

/// Raw bits of `v ∈ ranges` for a typed slice (ranges in i128, clamped to the type here).
pub fn int_ranges_bits<T: NativeInt>(values: &[T], ranges: &[(i128, i128)]) -> Vec<u64> {
    let native: Vec<(T, T)> = ranges
        .iter()
        .filter_map(|&(lo, hi)| {
            let (lo, hi) = (lo.max(T::LO), hi.min(T::HI));
            if lo > hi {
                return None;
            }
            Some((T::try_from(lo).ok()?, T::try_from(hi).ok()?))
        })
        .collect();
    let mut out = vec![0u64; values.len().div_ceil(64)];
    match native.as_slice() {
        [] => {}
        [(lo, hi)] => {
            let (lo, hi) = (*lo, *hi);
            if lo.into() == T::LO && hi.into() == T::HI {
                out.iter_mut().for_each(|w| *w = u64::MAX);
            } else {
                fill(values, &mut out, |v| v >= lo && v <= hi);
            }
        }
        [(a, b), (c, d)] => {
            let (a, b, c, d) = (*a, *b, *c, *d);
            fill(values, &mut out, |v| (v >= a && v <= b) | (v >= c && v <= d));
        }
        many => fill(values, &mut out, |v| {
            // Last range whose start is <= v.
            let idx = many.partition_point(|(lo, _)| *lo <= v);
            idx > 0 && v <= many[idx - 1].1
        }),
    }
    out
}

fn prim_int<T>(array: &dyn Array, ranges: &[(i128, i128)]) -> Result<(Vec<u64>, Option<Vec<u64>>)>
where
    T: ArrowPrimitiveType,
    T::Native: NativeInt,
{
    let a = downcast::<T>(array)?;
    let bits = int_ranges_bits(a.values(), ranges);
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

/// Float test on `f64` values (f32 columns are widened exactly; their literals were rounded to f32).
#[inline]
pub fn float_test(test: &FloatTest) -> impl Fn(f64) -> bool + '_ {
    move |v: f64| match test {
        FloatTest::Cmp(op, x) => match op {
            CmpOp::Eq => v == *x,
            CmpOp::Ne => v != *x,
            CmpOp::Lt => v < *x,
            CmpOp::Le => v <= *x,
            // NaN is above every number.
            CmpOp::Gt => !(v <= *x),
            CmpOp::Ge => !(v < *x),
        },
        FloatTest::Between(lo, hi) => v >= *lo && v <= *hi,
        FloatTest::In(xs) => xs.contains(&v),
    }
}

fn float_bits<T: Copy>(values: &[T], test: &FloatTest, widen: impl Fn(T) -> f64) -> Vec<u64> {
    let mut out = vec![0u64; values.len().div_ceil(64)];
    // Specialize the hot single comparisons so the loop has no inner match.
    match *test {
        FloatTest::Cmp(CmpOp::Ge, x) => fill(values, &mut out, |v| !(widen(v) < x)),
        FloatTest::Cmp(CmpOp::Gt, x) => fill(values, &mut out, |v| !(widen(v) <= x)),
        FloatTest::Cmp(CmpOp::Lt, x) => fill(values, &mut out, |v| widen(v) < x),
        FloatTest::Cmp(CmpOp::Le, x) => fill(values, &mut out, |v| widen(v) <= x),
        FloatTest::Between(lo, hi) => fill(values, &mut out, |v| {
            let v = widen(v);
            v >= lo && v <= hi
        }),
        _ => {
            let f = float_test(test);
            fill(values, &mut out, |v| f(widen(v)))
        }
    }
    out
}

/// Float kernel. Returns raw bits and validity.
pub fn float_kernel(array: &dyn Array, test: &FloatTest) -> Result<(Vec<u64>, Option<Vec<u64>>)> {
    match array.data_type() {
        arrow_schema::DataType::Float32 => {
            let a = downcast::<Float32Type>(array)?;
            Ok((float_bits(a.values(), test, f64::from), valid_words(a.nulls(), a.len())))
        }
        arrow_schema::DataType::Float64 => {
            let a = downcast::<Float64Type>(array)?;
            Ok((float_bits(a.values(), test, |v| v), valid_words(a.nulls(), a.len())))
        }
        other => Err(Error::new(ErrorCode::Internal, format!("float kernel on {other:?}"))),
    }
}

/// Helper for the Tv constructor used by callers.
pub fn finish(parts: (Vec<u64>, Option<Vec<u64>>), n: usize) -> Tv {
    super::nulls::with_validity(parts.0, parts.1, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_clamp_to_the_type() {
        let v: Vec<u8> = (0..=255).collect();
        let bits = int_ranges_bits(&v, &[(-1000, 3)]);
        assert_eq!(bits[0], 0b1111);
        let bits = int_ranges_bits(&v, &[(300, i128::MAX)]);
        assert!(bits.iter().all(|w| *w == 0));
        let v: Vec<i64> = vec![1, 5, 9, 13, 17];
        assert_eq!(int_ranges_bits(&v, &[(1, 1), (9, 9), (17, 20)])[0], 0b10101);
        assert_eq!(int_ranges_bits(&v, &[(i128::MIN, 4), (6, i128::MAX)])[0], 0b11101);
    }

    #[test]
    fn nan_is_largest() {
        let v = [1.0, f64::NAN, 3.0];
        assert_eq!(float_bits(&v, &FloatTest::Cmp(CmpOp::Gt, 2.0), |x| x)[0], 0b110);
        assert_eq!(float_bits(&v, &FloatTest::Cmp(CmpOp::Ne, 1.0), |x| x)[0], 0b110);
        assert_eq!(float_bits(&v, &FloatTest::Cmp(CmpOp::Le, 1e300), |x| x)[0], 0b101);
        assert_eq!(float_bits(&v, &FloatTest::Between(0.0, 1e300), |x| x)[0], 0b101);
    }
}
