//! Bool columns: the values bitmap is already 64 rows per word.

use arrow_array::cast::AsArray;
use arrow_array::Array;

use super::nulls::{valid_words, with_validity};
use super::Tv;

/// `column IN (accepted…)` on a bool column (covers `flag`, `flag = TRUE`, `flag != FALSE`, …).
pub fn bool_kernel(array: &dyn Array, accept_true: bool, accept_false: bool) -> Tv {
    let a = array.as_boolean();
    let n = a.len();
    let words = n.div_ceil(64);
    let raw: Vec<u64> = match (accept_true, accept_false) {
        (true, true) => vec![u64::MAX; words],
        (false, false) => vec![0; words],
        (true, false) => a.values().bit_chunks().iter_padded().take(words).collect(),
        (false, true) => a.values().bit_chunks().iter_padded().take(words).map(|w| !w).collect(),
    };
    let mut raw = raw;
    raw.resize(words, 0);
    with_validity(raw, valid_words(a.nulls(), n), n)
}
