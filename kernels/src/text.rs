//! Text predicates on UTF-8 bytes: short literals compared as words straight from a plain string column's
//! offsets and bytes, and dictionary keys mapped through a per-entry table of results.

use arrow_buffer::{ArrowNativeType, NullBuffer};

use crate::accumulate::KnownText;

use crate::words::{fill, pack64};

/// Up to 8 bytes as a little-endian word, zero-padded.
#[inline(always)]
pub fn short_word(v: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    let k = v.len().min(8);
    b[..k].copy_from_slice(&v[..k]);
    u64::from_le_bytes(b)
}

/// Masks keeping the low `len` bytes of a word.
const BYTE_MASKS: [u64; 9] = {
    let mut m = [0u64; 9];
    let mut i = 1;
    while i < 9 {
        m[i] = if i == 8 { u64::MAX } else { (1u64 << (8 * i)) - 1 };
        i += 1;
    }
    m
};

/// The bytes `data[lo..hi]` as a zero-padded word when there are at most 8 of them (one unaligned load where
/// the buffer allows), else `None`.
#[inline(always)]
pub fn short_value(data: &[u8], lo: usize, hi: usize) -> Option<u64> {
    let len = hi.wrapping_sub(lo);
    if len > 8 || hi > data.len() {
        return None;
    }
    Some(if lo + 8 <= data.len() {
        let mut b = [0u8; 8];
        b.copy_from_slice(&data[lo..lo + 8]);
        u64::from_le_bytes(b) & BYTE_MASKS[len]
    } else {
        short_word(&data[lo..hi])
    })
}

/// Offset types of plain string columns (`i32` for utf8, `i64` for large_utf8).
pub trait Offset: ArrowNativeType {
    /// `value IN list` (or `= s` for one literal) against short literals (at most 8 bytes each, at most 16 of
    /// them) on the column whose value offsets are `offsets` (one more than its rows) over the bytes `data`: each
    /// value read as one word and compared as (length, word) pairs — no `&str` per row, no `memcmp` calls.
    /// Writes one bit per row to `out`; returns false (nothing written) when `list` is not of that shape.
    fn short_in(offsets: &[Self], data: &[u8], list: &[&str], out: &mut [u64]) -> bool;

    /// Variant codes of rows `start..start + out.len()` while `known` has their keys (null rows get
    /// [`crate::accumulate::NULL_CODE`]), comparing bytes instead of hashing each row. Stops at the first row
    /// whose key is not known; returns how many rows were written.
    fn known_codes(
        offsets: &[Self],
        data: &[u8],
        nulls: Option<&NullBuffer>,
        known: &KnownText,
        start: usize,
        out: &mut [u8],
    ) -> usize;
}

macro_rules! offset {
    ($($t:ty),*) => {$(
        impl Offset for $t {
            #[inline(never)]
            fn short_in(offsets: &[Self], data: &[u8], list: &[&str], out: &mut [u64]) -> bool {
                short_in(offsets, data, list, out)
            }
            #[inline(never)]
            fn known_codes(
                offsets: &[Self],
                data: &[u8],
                nulls: Option<&NullBuffer>,
                known: &KnownText,
                start: usize,
                out: &mut [u8],
            ) -> usize {
                crate::accumulate::known_text_codes(offsets, data, nulls, known, start, out)
            }
        }
    )*};
}
offset!(i32, i64);

fn short_in<O: ArrowNativeType>(offsets: &[O], data: &[u8], list: &[&str], out: &mut [u64]) -> bool {
    if list.is_empty() || list.len() > 16 || list.iter().any(|s| s.len() > 8) {
        return false;
    }
    match list.len() {
        1 => short_in_n::<_, 1>(offsets, data, list, out),
        2 => short_in_n::<_, 2>(offsets, data, list, out),
        3 | 4 => short_in_n::<_, 4>(offsets, data, list, out),
        5..=8 => short_in_n::<_, 8>(offsets, data, list, out),
        _ => short_in_n::<_, 16>(offsets, data, list, out),
    }
    true
}

fn short_in_n<O: ArrowNativeType, const N: usize>(offsets: &[O], data: &[u8], list: &[&str], out: &mut [u64]) {
    // Unused slots get a length no value can have here, so the unrolled compare needs no count.
    let mut lens = [usize::MAX; N];
    let mut words = [0u64; N];
    for (i, s) in list.iter().enumerate().take(N) {
        lens[i] = s.len();
        words[i] = short_word(s.as_bytes());
    }
    let n = offsets.len().saturating_sub(1);
    let test = |lo: usize, hi: usize| -> bool {
        let len = hi.wrapping_sub(lo);
        let Some(w) = short_value(data, lo, hi) else { return false };
        let mut hit = false;
        for i in 0..N {
            hit |= (lens[i] == len) & (words[i] == w);
        }
        hit
    };
    for (c, word) in (0..n).step_by(64).zip(out.iter_mut()) {
        let end = (c + 64).min(n);
        let mut tmp = [0u8; 64];
        for (t, o) in tmp.iter_mut().zip(offsets[c..=end].windows(2)) {
            *t = u8::from(test(o[0].as_usize(), o[1].as_usize()));
        }
        *word = pack64(&tmp);
    }
}

/// Key types of dictionary columns.
pub trait DictKey: ArrowNativeType {
    /// One bit per key: `table[key]` (false for a key past the table). `out` has `keys.len().div_ceil(64)` words.
    fn table_bits(keys: &[Self], table: &[bool], out: &mut [u64]);

    /// Variant codes by key while `table` knows them: `out[i] = table[keys[i]]` until a key past the table or
    /// one whose entry is [`crate::accumulate::UNSEEN_CODE`]. Returns how many rows were written.
    fn known_codes(keys: &[Self], table: &[u8], out: &mut [u8]) -> usize;
}

macro_rules! dict_key {
    ($($t:ty),*) => {$(
        impl DictKey for $t {
            #[inline(never)]
            fn table_bits(keys: &[Self], table: &[bool], out: &mut [u64]) {
                fill(keys, out, |k| table.get(k.as_usize()).copied().unwrap_or(false));
            }
            #[inline(never)]
            fn known_codes(keys: &[Self], table: &[u8], out: &mut [u8]) -> usize {
                crate::accumulate::known_codes(keys, table, out)
            }
        }
    )*};
}
dict_key!(i8, i16, i32, i64, u8, u16, u32, u64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_literals_match_at_every_length_and_buffer_end() {
        let values = ["", "FI", "FIN", "SE", "ABCDEFGH", "ABCDEFGHI", "S", "ABCDEFGH"];
        let mut data = Vec::new();
        let mut offsets = vec![0i32];
        for i in 0..300 {
            data.extend_from_slice(values[i * 5 % 8].as_bytes());
            offsets.push(data.len() as i32);
        }
        for list in [vec!["FI", "SE"], vec!["", "ABCDEFGH"], vec!["S"]] {
            for (off, len) in [(0usize, 300usize), (5, 200), (299, 1)] {
                let mut out = vec![0u64; len.div_ceil(64)];
                assert!(i32::short_in(&offsets[off..=off + len], &data, &list, &mut out));
                for i in 0..len {
                    let want = list.contains(&values[(off + i) * 5 % 8]);
                    assert_eq!(out[i / 64] >> (i % 64) & 1 == 1, want, "{list:?} row {}", off + i);
                }
            }
        }
        let mut out = [0u64; 5];
        assert!(!i32::short_in(&offsets, &data, &["ABCDEFGHI"], &mut out));
        assert!(!i32::short_in(&offsets, &data, &[], &mut out));
    }

    #[test]
    fn keys_past_the_table_are_false() {
        let keys: Vec<i8> = vec![0, 1, 2, -1, 5, 1];
        let mut out = [0u64; 1];
        i8::table_bits(&keys, &[true, false, true], &mut out);
        assert_eq!(out[0], 0b00101);
    }
}
