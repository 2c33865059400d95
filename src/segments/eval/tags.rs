//! `HAS` on tag lists: `list<utf8>` / `large_list<utf8>` columns here, text split at `,` via the text kernel.
//! Tags compare as [`tag_key`]s (trimmed, lower-cased); null elements are ignored; a null list is UNKNOWN.

use arrow_array::cast::AsArray;
use arrow_array::{Array, GenericListArray, OffsetSizeTrait};
use arrow_schema::DataType;

use super::nulls::{valid_words, with_validity};
use super::Tv;
use crate::error::{Error, ErrorCode, Result};
use crate::segments::parser::HasMode;
use crate::segments::textfn::tag_key;

/// Whether the tags (already [`tag_key`]s) satisfy `HAS` / `HAS ANY` / `HAS ALL` of `wanted`.
pub fn has(mode: HasMode, wanted: &[String], tags: impl Iterator<Item = String>) -> bool {
    match mode {
        HasMode::One | HasMode::Any => {
            let mut tags = tags;
            tags.any(|t| wanted.contains(&t))
        }
        HasMode::All => {
            let mut seen = vec![false; wanted.len()];
            for t in tags {
                for (s, w) in seen.iter_mut().zip(wanted) {
                    *s |= *w == t;
                }
            }
            seen.iter().all(|s| *s)
        }
    }
}

/// `HAS` over a list-of-text column.
pub fn tags_kernel(array: &dyn Array, mode: HasMode, wanted: &[String]) -> Result<Tv> {
    match array.data_type() {
        DataType::List(_) => list(array.as_list::<i32>(), mode, wanted),
        DataType::LargeList(_) => list(array.as_list::<i64>(), mode, wanted),
        other => Err(Error::new(ErrorCode::Internal, format!("tag kernel on {other:?}"))),
    }
}

fn list<O: OffsetSizeTrait>(a: &GenericListArray<O>, mode: HasMode, wanted: &[String]) -> Result<Tv> {
    let n = a.len();
    let values = a.values();
    let element = |i: usize| -> Option<String> {
        if values.is_null(i) {
            return None;
        }
        match values.data_type() {
            DataType::Utf8 => Some(tag_key(values.as_string::<i32>().value(i))),
            DataType::LargeUtf8 => Some(tag_key(values.as_string::<i64>().value(i))),
            _ => None,
        }
    };
    let offsets = a.value_offsets();
    let mut raw = vec![0u64; n.div_ceil(64)];
    for row in 0..n {
        let (lo, hi) = (offsets[row].as_usize(), offsets[row + 1].as_usize());
        if has(mode, wanted, (lo..hi).filter_map(element)) {
            raw[row / 64] |= 1 << (row % 64);
        }
    }
    Ok(with_validity(raw, valid_words(a.nulls(), n), n))
}
