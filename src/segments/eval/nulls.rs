//! Validity bitmaps as words, and `IS NULL`.

use arrow_array::Array;
use arrow_buffer::NullBuffer;

use super::{mask_tail, Tv};

/// The validity of `nulls` as words (bit set = valid), or `None` when every row is valid.
pub fn valid_words(nulls: Option<&NullBuffer>, n: usize) -> Option<Vec<u64>> {
    let nulls = nulls.filter(|b| b.null_count() > 0)?;
    let mut words: Vec<u64> = nulls.inner().bit_chunks().iter_padded().collect();
    words.resize(n.div_ceil(64), 0);
    Some(words)
}

/// Turn raw predicate bits into a leaf result: TRUE = raw ∧ valid, UNKNOWN = ¬valid.
pub fn with_validity(mut raw: Vec<u64>, valid: Option<Vec<u64>>, n: usize) -> Tv {
    match valid {
        None => {
            mask_tail(&mut raw, n);
            Tv { t: raw, u: None }
        }
        Some(valid) => {
            raw.iter_mut().zip(&valid).for_each(|(r, v)| *r &= v);
            let mut u: Vec<u64> = valid.iter().map(|v| !v).collect();
            mask_tail(&mut raw, n);
            mask_tail(&mut u, n);
            Tv { t: raw, u: Some(u) }
        }
    }
}

/// `column IS NULL`: never UNKNOWN. Uses logical nulls, so dictionary entries that are null count.
pub fn is_null(array: &dyn Array) -> Tv {
    let n = array.len();
    let nulls = array.logical_nulls();
    let mut t = match valid_words(nulls.as_ref(), n) {
        Some(valid) => valid.into_iter().map(|v| !v).collect(),
        None => vec![0; n.div_ceil(64)],
    };
    mask_tail(&mut t, n);
    Tv { t, u: None }
}
