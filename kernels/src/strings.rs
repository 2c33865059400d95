//! Text tests on every value of a plain string column (utf8, large_utf8, utf8_view), one loop per kind of test
//! so the per-row work is the comparison itself. Binary collation: `&str` order is byte order.

use arrow_array::{Array, GenericStringArray, StringViewArray};

use crate::floats::CmpOp;
use crate::textfn::{apply_all, LikePattern, TextFn};

/// A text test on the value as stored: what the rule language's text tests are without text functions or `HAS`
/// (those stay with their types in the library).
#[derive(Debug, Clone, Copy)]
pub enum StrTest<'a> {
    /// `v op s`.
    Cmp(CmpOp, &'a str),
    /// `lo <= v <= hi`.
    Between(&'a str, &'a str),
    /// `v` is one of them (sorted, deduplicated).
    In(&'a [String]),
    /// Substring.
    Contains(&'a str),
    /// Prefix.
    StartsWith(&'a str),
    /// Suffix.
    EndsWith(&'a str),
    /// `LIKE` / `ILIKE`.
    Like(&'a LikePattern),
}

impl StrTest<'_> {
    /// Whether the value `v` passes the test.
    #[inline]
    pub fn matches(&self, v: &str) -> bool {
        match *self {
            StrTest::Cmp(op, s) => match op {
                CmpOp::Eq => v == s,
                CmpOp::Ne => v != s,
                CmpOp::Lt => v < s,
                CmpOp::Le => v <= s,
                CmpOp::Gt => v > s,
                CmpOp::Ge => v >= s,
            },
            StrTest::Between(lo, hi) => v >= lo && v <= hi,
            StrTest::In(list) => {
                if list.len() <= 8 {
                    list.iter().any(|s| s == v)
                } else {
                    list.binary_search_by(|s| s.as_str().cmp(v)).is_ok()
                }
            }
            StrTest::Contains(s) => v.contains(s),
            StrTest::StartsWith(s) => v.starts_with(s),
            StrTest::EndsWith(s) => v.ends_with(s),
            StrTest::Like(pattern) => pattern.matches(v),
        }
    }
}

/// Plain string columns.
pub trait StrColumn {
    /// One bit per row: `test` on the row's value (null slots are tested too; the caller masks them). `out` has
    /// `len().div_ceil(64)` words.
    fn str_bits(&self, test: &StrTest<'_>, out: &mut [u64]);

    /// [`StrColumn::str_bits`] on each value after the text functions `funcs` (innermost first).
    fn mapped_bits(&self, funcs: &[TextFn], test: &StrTest<'_>, out: &mut [u64]);
}

// One impl per array type, each compiled here at opt-level 3 (a generic one would be compiled in its caller).
macro_rules! str_column {
    ($($t:ty),*) => {$(
        impl StrColumn for $t {
            #[inline(never)]
            fn str_bits(&self, test: &StrTest<'_>, out: &mut [u64]) {
                str_bits(self.len(), |i| self.value(i), test, out);
            }
            #[inline(never)]
            fn mapped_bits(&self, funcs: &[TextFn], test: &StrTest<'_>, out: &mut [u64]) {
                fill_indexed(self.len(), out, |i| test.matches(&apply_all(funcs, self.value(i))));
            }
        }
    )*};
}
str_column!(GenericStringArray<i32>, GenericStringArray<i64>, StringViewArray);

#[inline(always)]
fn str_bits<'v>(n: usize, value: impl Fn(usize) -> &'v str, test: &StrTest<'_>, out: &mut [u64]) {
    match *test {
        StrTest::Cmp(op, s) => match op {
            CmpOp::Eq => fill_indexed(n, out, |i| value(i) == s),
            CmpOp::Ne => fill_indexed(n, out, |i| value(i) != s),
            CmpOp::Lt => fill_indexed(n, out, |i| value(i) < s),
            CmpOp::Le => fill_indexed(n, out, |i| value(i) <= s),
            CmpOp::Gt => fill_indexed(n, out, |i| value(i) > s),
            CmpOp::Ge => fill_indexed(n, out, |i| value(i) >= s),
        },
        StrTest::Between(lo, hi) => fill_indexed(n, out, |i| {
            let v = value(i);
            v >= lo && v <= hi
        }),
        StrTest::In(list) if list.len() <= 8 => fill_indexed(n, out, |i| {
            let v = value(i);
            list.iter().any(|s| s == v)
        }),
        StrTest::In(list) => fill_indexed(n, out, |i| {
            let v = value(i);
            list.binary_search_by(|s| s.as_str().cmp(v)).is_ok()
        }),
        StrTest::Contains(s) => fill_indexed(n, out, |i| value(i).contains(s)),
        StrTest::StartsWith(s) => fill_indexed(n, out, |i| value(i).starts_with(s)),
        StrTest::EndsWith(s) => fill_indexed(n, out, |i| value(i).ends_with(s)),
        StrTest::Like(pattern) => fill_indexed(n, out, |i| pattern.matches(value(i))),
    }
}

/// `f(i)` for rows `0..n`, 64 rows per word of `out`.
#[inline(always)]
pub fn fill_indexed(n: usize, out: &mut [u64], f: impl Fn(usize) -> bool) {
    for (w, word) in out.iter_mut().enumerate() {
        let base = w * 64;
        let end = (base + 64).min(n);
        let mut bits = 0u64;
        for i in base..end {
            bits |= u64::from(f(i)) << (i - base);
        }
        *word = bits;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{LargeStringArray, StringArray};

    #[test]
    fn every_test_on_every_column_type() {
        let values: Vec<String> =
            (0..150).map(|i| format!("{}{}", ["FI", "SE", "fi", "Ääni", ""][i % 5], i % 7)).collect();
        let list: Vec<String> = {
            let mut l: Vec<String> = (0..12).map(|i| values[i * 3].clone()).collect();
            l.sort();
            l.dedup();
            l
        };
        let like = LikePattern::compile("S%1", None, false).unwrap();
        let ilike = LikePattern::compile("_Ä%", None, true).unwrap();
        type Want<'a> = Box<dyn Fn(&str) -> bool + 'a>;
        let tests: Vec<(StrTest, Want)> = vec![
            (StrTest::Cmp(CmpOp::Eq, "SE1"), Box::new(|v| v == "SE1")),
            (StrTest::Cmp(CmpOp::Ne, "SE1"), Box::new(|v| v != "SE1")),
            (StrTest::Cmp(CmpOp::Lt, "fi"), Box::new(|v| v < "fi")),
            (StrTest::Cmp(CmpOp::Le, "fi3"), Box::new(|v| v <= "fi3")),
            (StrTest::Cmp(CmpOp::Gt, "SE"), Box::new(|v| v > "SE")),
            (StrTest::Cmp(CmpOp::Ge, "SE4"), Box::new(|v| v >= "SE4")),
            (StrTest::Between("FI", "SE9"), Box::new(|v| ("FI"..="SE9").contains(&v))),
            (StrTest::In(&list[..3]), Box::new(|v| list[..3].iter().any(|s| s == v))),
            (StrTest::In(&list), Box::new(|v| list.iter().any(|s| s == v))),
            (StrTest::Contains("ä"), Box::new(|v| v.contains('ä'))),
            (StrTest::StartsWith("fi"), Box::new(|v| v.starts_with("fi"))),
            (StrTest::EndsWith("3"), Box::new(|v| v.ends_with('3'))),
            (StrTest::Like(&like), Box::new(|v| v.starts_with("S") && v.ends_with('1'))),
            (StrTest::Like(&ilike), Box::new(|v| v.chars().nth(1).is_some_and(|c| c == 'ä' || c == 'Ä'))),
        ];
        let utf8 = StringArray::from(values.clone());
        let large = LargeStringArray::from(values.clone());
        let view = StringViewArray::from(values.clone());
        let columns: [&dyn StrColumn; 3] = [&utf8, &large, &view];
        for (test, want) in &tests {
            for column in columns {
                let mut out = vec![0u64; values.len().div_ceil(64)];
                column.str_bits(test, &mut out);
                for (i, v) in values.iter().enumerate() {
                    assert_eq!(out[i / 64] >> (i % 64) & 1 == 1, want(v), "{test:?} on {v:?}");
                    assert_eq!(test.matches(v), want(v), "{test:?} on {v:?}");
                }
                let funcs = [TextFn::Trim, TextFn::Upper];
                column.mapped_bits(&funcs, test, &mut out);
                for (i, v) in values.iter().enumerate() {
                    let mapped = apply_all(&funcs, v);
                    assert_eq!(out[i / 64] >> (i % 64) & 1 == 1, want(&mapped), "{test:?} on {mapped:?}");
                }
            }
        }
    }
}
