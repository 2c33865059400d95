//! Text kernels on UTF-8 bytes (binary collation, like DuckDB's default). Dictionary columns evaluate the test
//! once per dictionary entry into a small table and then map the keys, never comparing strings per row. The
//! per-row loops of the common shapes (short literals on plain text, the key mapping) are in segmetry-kernels.

use arrow_array::cast::AsArray;
use arrow_array::types::ArrowDictionaryKeyType;
use arrow_array::types::*;
use arrow_array::{Array, DictionaryArray, GenericStringArray, OffsetSizeTrait};
use arrow_schema::DataType;
use segmetry_kernels::strings::{fill_indexed, StrColumn, StrTest};
use segmetry_kernels::text::{DictKey, Offset};

use super::nulls::{valid_words, with_validity};
use super::Tv;
use crate::error::{Error, ErrorCode, Result};
use crate::segments::lexer::CmpOp;
use crate::segments::resolve::TextTest;
use crate::segments::textfn::{apply_all, split_tags, TextFn};

/// The test as a function of one string.
#[inline]
pub fn matcher(test: &TextTest) -> impl Fn(&str) -> bool + '_ {
    let stored = stored_test(test);
    move |v: &str| match (test, &stored) {
        (TextTest::Has(mode, tags), _) => super::tags::has(*mode, tags, split_tags(v)),
        // Every other test has its stored-value form.
        (_, stored) => stored.is_some_and(|t| t.matches(v)),
    }
}

/// Raw bits and validity of a plain (non-dictionary) string array; `funcs` apply to each value before the test.
fn plain(array: &dyn Array, funcs: &[TextFn], test: &TextTest) -> Result<(Vec<u64>, Option<Vec<u64>>)> {
    let n = array.len();
    let mut out = vec![0u64; n.div_ceil(64)];
    let test_only = matcher(test);
    let m = |v: &str| if funcs.is_empty() { test_only(v) } else { test_only(&apply_all(funcs, v)) };
    // Tests on the (mapped) value run in segmetry-kernels; HAS through `m` here.
    let stored = stored_test(test);
    let kernel = |a: &dyn StrColumn, out: &mut [u64]| match &stored {
        Some(t) if funcs.is_empty() => {
            a.str_bits(t, out);
            true
        }
        Some(t) => {
            a.mapped_bits(funcs, t, out);
            true
        }
        None => false,
    };
    match array.data_type() {
        DataType::Utf8 => {
            let a = array.as_string::<i32>();
            if (!funcs.is_empty() || !short_in(a, test, &mut out)) && !kernel(a, &mut out) {
                fill_indexed(n, &mut out, |i| m(a.value(i)));
            }
        }
        DataType::LargeUtf8 => {
            let a = array.as_string::<i64>();
            if (!funcs.is_empty() || !short_in(a, test, &mut out)) && !kernel(a, &mut out) {
                fill_indexed(n, &mut out, |i| m(a.value(i)));
            }
        }
        DataType::Utf8View => {
            let a = array.as_string_view();
            if !kernel(a, &mut out) {
                fill_indexed(n, &mut out, |i| m(a.value(i)));
            }
        }
        other => return Err(Error::new(ErrorCode::Internal, format!("text kernel on {other:?}"))),
    }
    Ok((out, valid_words(array.nulls(), n)))
}

/// `test` as a kernel's [`StrTest`]: every test but `HAS` (which splits the value into tags).
fn stored_test(test: &TextTest) -> Option<StrTest<'_>> {
    Some(match test {
        TextTest::Cmp(op, s) => StrTest::Cmp(*op, s),
        TextTest::Between(lo, hi) => StrTest::Between(lo, hi),
        TextTest::In(list) => StrTest::In(list),
        TextTest::Contains(s) => StrTest::Contains(s),
        TextTest::StartsWith(s) => StrTest::StartsWith(s),
        TextTest::EndsWith(s) => StrTest::EndsWith(s),
        TextTest::Like(pattern) => StrTest::Like(pattern),
        TextTest::Has(..) => return None,
    })
}

/// `= s` / `IN (...)` against short literals (at most 8 bytes each, at most 16 of them) on a plain string column:
/// straight from the offsets and bytes, each value read as one word and compared as (length, word) pairs — no
/// `&str` per row, no `memcmp` calls. Returns false (nothing written) when the test is not of that shape.
fn short_in<O: OffsetSizeTrait + Offset>(a: &GenericStringArray<O>, test: &TextTest, out: &mut [u64]) -> bool {
    let list: Vec<&str> = match test {
        TextTest::In(list) => list.iter().map(String::as_str).collect(),
        TextTest::Cmp(CmpOp::Eq, s) => vec![s.as_str()],
        _ => return false,
    };
    O::short_in(a.value_offsets(), a.value_data(), &list, out)
}

fn dictionary<K>(array: &dyn Array, funcs: &[TextFn], test: &TextTest) -> Result<Tv>
where
    K: ArrowDictionaryKeyType,
    K::Native: DictKey,
{
    let dict = array
        .as_any()
        .downcast_ref::<DictionaryArray<K>>()
        .ok_or_else(|| Error::new(ErrorCode::Internal, "dictionary downcast failed"))?;
    let n = dict.len();
    let values = dict.values();
    let (vbits, vvalid) = plain(values.as_ref(), funcs, test)?;
    let entries = values.len();
    let bit = |words: &[u64], i: usize| words[i / 64] >> (i % 64) & 1 == 1;
    let table: Vec<bool> = (0..entries).map(|i| bit(&vbits, i) && vvalid.as_ref().is_none_or(|v| bit(v, i))).collect();
    let keys = dict.keys();
    let key_values: &[K::Native] = keys.values();
    let mut raw = vec![0u64; n.div_ceil(64)];
    K::Native::table_bits(key_values, &table, &mut raw);
    let mut valid = valid_words(keys.nulls(), n);
    if let Some(vvalid) = vvalid {
        // Rows whose key points at a null dictionary entry are null too.
        let entry_valid: Vec<bool> = (0..entries).map(|i| bit(&vvalid, i)).collect();
        let mut kv = vec![0u64; n.div_ceil(64)];
        K::Native::table_bits(key_values, &entry_valid, &mut kv);
        match &mut valid {
            Some(v) => v.iter_mut().zip(&kv).for_each(|(a, b)| *a &= b),
            None => valid = Some(kv),
        }
    }
    Ok(with_validity(raw, valid, n))
}

/// Text kernel over a plain or dictionary-encoded string column, after the text functions `funcs`.
pub fn text_kernel(array: &dyn Array, funcs: &[TextFn], test: &TextTest) -> Result<Tv> {
    match array.data_type() {
        DataType::Dictionary(key, _) => match key.as_ref() {
            DataType::Int8 => dictionary::<Int8Type>(array, funcs, test),
            DataType::Int16 => dictionary::<Int16Type>(array, funcs, test),
            DataType::Int32 => dictionary::<Int32Type>(array, funcs, test),
            DataType::Int64 => dictionary::<Int64Type>(array, funcs, test),
            DataType::UInt8 => dictionary::<UInt8Type>(array, funcs, test),
            DataType::UInt16 => dictionary::<UInt16Type>(array, funcs, test),
            DataType::UInt32 => dictionary::<UInt32Type>(array, funcs, test),
            DataType::UInt64 => dictionary::<UInt64Type>(array, funcs, test),
            other => Err(Error::new(ErrorCode::Internal, format!("dictionary key {other:?}"))),
        },
        _ => {
            let n = array.len();
            let (raw, valid) = plain(array, funcs, test)?;
            Ok(with_validity(raw, valid, n))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::StringArray;

    #[test]
    fn dictionary_matches_plain() {
        let plain_arr = StringArray::from(vec![Some("FI"), None, Some("SE"), Some("US"), Some("FI")]);
        let dict: DictionaryArray<Int8Type> =
            vec![Some("FI"), None, Some("SE"), Some("US"), Some("FI")].into_iter().collect();
        let test = TextTest::In(vec!["FI".into(), "SE".into()]);
        let a = text_kernel(&plain_arr, &[], &test).unwrap();
        let b = text_kernel(&dict, &[], &test).unwrap();
        assert_eq!(a.t, vec![0b10101]);
        assert_eq!(a, b);
        let c = text_kernel(&dict, &[], &TextTest::Cmp(CmpOp::Lt, "G".into())).unwrap();
        // Short-literal path: lengths, 8-byte values, values at the very end of the data buffer, sliced arrays.
        let words = ["", "FI", "FIN", "SE", "ABCDEFGH", "ABCDEFGHI", "S", "ABCDEFGH"];
        let values: Vec<Option<&str>> =
            (0..300).map(|i| if i % 11 == 3 { None } else { Some(words[i * 5 % 8]) }).collect();
        let arr = StringArray::from(values.clone());
        for list in [vec!["FI", "SE"], vec!["", "ABCDEFGH"], vec!["S"]] {
            let test = TextTest::In(list.iter().map(|s| s.to_string()).collect());
            for (off, len) in [(0, 300), (5, 200), (299, 1), (100, 200)] {
                let got = text_kernel(&arr.slice(off, len), &[], &test).unwrap();
                for i in 0..len {
                    let want = values[off + i].is_some_and(|v| list.contains(&v));
                    assert_eq!(got.t[i / 64] >> (i % 64) & 1 == 1, want, "{list:?} row {}", off + i);
                }
            }
        }
        assert_eq!(c.t, vec![0b10001]);
    }
}
