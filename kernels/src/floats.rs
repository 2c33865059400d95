//! Float predicates with DuckDB's NaN order (NaN equals NaN and is above every number), and the comparison
//! operators of the rule language they share with the text predicates.

#![allow(clippy::neg_cmp_op_on_partial_ord)] // NaN order: `!(v <= x)` is deliberately TRUE for NaN.

use crate::words::fill;

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `!=` (also written `<>`)
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// The operator as written in canonical text and SQL.
    pub fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// Float tests; literals already rounded to the column's precision.
#[derive(Debug, Clone, PartialEq)]
pub enum FloatTest {
    /// `v op x`
    Cmp(CmpOp, f64),
    /// `lo <= v <= hi`
    Between(f64, f64),
    /// `v` equals one of them.
    In(Vec<f64>),
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

/// Raw bits of `test` over a float64 column's values.
#[inline(never)]
pub fn float64_bits(values: &[f64], test: &FloatTest) -> Vec<u64> {
    float_bits(values, test, |v| v)
}

/// Raw bits of `test` over a float32 column's values (widened exactly to f64).
#[inline(never)]
pub fn float32_bits(values: &[f32], test: &FloatTest) -> Vec<u64> {
    float_bits(values, test, f64::from)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_is_largest() {
        let v = [1.0, f64::NAN, 3.0];
        assert_eq!(float64_bits(&v, &FloatTest::Cmp(CmpOp::Gt, 2.0))[0], 0b110);
        assert_eq!(float64_bits(&v, &FloatTest::Cmp(CmpOp::Ne, 1.0))[0], 0b110);
        assert_eq!(float64_bits(&v, &FloatTest::Cmp(CmpOp::Le, 1e300))[0], 0b101);
        assert_eq!(float64_bits(&v, &FloatTest::Between(0.0, 1e300))[0], 0b101);
        assert_eq!(float32_bits(&[1.0, f32::NAN, 3.0], &FloatTest::Cmp(CmpOp::Ge, 3.0))[0], 0b110);
    }
}
