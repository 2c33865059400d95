//! Integer predicates (integers and everything stored as integers: decimal128, dates, timestamps) against
//! sorted, disjoint, inclusive ranges.

use crate::words::fill;

/// Native integer types with an exact i128 image.
pub trait NativeInt: Copy + PartialOrd + Into<i128> + TryFrom<i128> {
    /// Smallest value.
    const LO: i128;
    /// Largest value.
    const HI: i128;

    /// [`int_ranges_bits`] for this type: a non-generic function of this crate, so the loop is compiled here.
    fn ranges_bits(values: &[Self], ranges: &[(i128, i128)]) -> Vec<u64>;
}

macro_rules! native {
    ($($t:ty),*) => {$(
        impl NativeInt for $t {
            const LO: i128 = <$t>::MIN as i128;
            const HI: i128 = <$t>::MAX as i128;
            #[inline(never)]
            fn ranges_bits(values: &[Self], ranges: &[(i128, i128)]) -> Vec<u64> {
                ranges_bits(values, ranges)
            }
        }
    )*};
}
native!(i8, i16, i32, i64, i128, u8, u16, u32, u64);

/// Raw bits of `v ∈ ranges` for a typed slice (ranges in i128, clamped to the type here).
pub fn int_ranges_bits<T: NativeInt>(values: &[T], ranges: &[(i128, i128)]) -> Vec<u64> {
    T::ranges_bits(values, ranges)
}

fn ranges_bits<T: NativeInt>(values: &[T], ranges: &[(i128, i128)]) -> Vec<u64> {
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
}
