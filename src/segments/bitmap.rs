//! Row membership as a bitmap of u64 words: bit `i` of the dataset-wide row index is set when row `i` belongs.
//! Segment algebra (AND/OR/NOT, overlap counts) runs 64 rows per instruction.

/// A fixed-length set of row indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    words: Vec<u64>,
    len: usize,
}

impl Bitmap {
    /// All rows out.
    pub fn zeros(len: usize) -> Self {
        Bitmap { words: vec![0; len.div_ceil(64)], len }
    }

    /// All rows in.
    pub fn ones(len: usize) -> Self {
        let mut bitmap = Bitmap { words: vec![u64::MAX; len.div_ceil(64)], len };
        bitmap.clear_tail();
        bitmap
    }

    /// Build from a predicate on row indices (slow path for tests and rare cases).
    pub fn from_fn(len: usize, mut member: impl FnMut(usize) -> bool) -> Self {
        let mut bitmap = Bitmap::zeros(len);
        for i in 0..len {
            if member(i) {
                bitmap.set(i);
            }
        }
        bitmap
    }

    /// Build from words (bit `i % 64` of word `i / 64` is row `i`); bits past `len` are cleared.
    pub fn from_words(mut words: Vec<u64>, len: usize) -> Self {
        words.resize(len.div_ceil(64), 0);
        let mut bitmap = Bitmap { words, len };
        bitmap.clear_tail();
        bitmap
    }

    /// Number of rows the bitmap covers.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it covers no rows at all.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The words, 64 rows each.
    pub fn words(&self) -> &[u64] {
        &self.words
    }

    /// Mutable words; callers must keep bits past `len` clear.
    pub fn words_mut(&mut self) -> &mut [u64] {
        &mut self.words
    }

    /// Put row `i` in. Panics if `i >= len` (an internal invariant, never user input).
    pub fn set(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    /// Whether row `i` is in.
    pub fn get(&self, i: usize) -> bool {
        i < self.len && self.words[i / 64] & (1 << (i % 64)) != 0
    }

    /// Members.
    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Members of `self ∩ other`, without materializing it.
    pub fn intersection_count(&self, other: &Bitmap) -> usize {
        self.words.iter().zip(&other.words).map(|(a, b)| (a & b).count_ones() as usize).sum()
    }

    /// `self ∩= other`.
    pub fn and_assign(&mut self, other: &Bitmap) {
        self.words.iter_mut().zip(&other.words).for_each(|(a, b)| *a &= b);
    }

    /// `self ∪= other`.
    pub fn or_assign(&mut self, other: &Bitmap) {
        self.words.iter_mut().zip(&other.words).for_each(|(a, b)| *a |= b);
    }

    /// `self ∖= other`.
    pub fn and_not_assign(&mut self, other: &Bitmap) {
        self.words.iter_mut().zip(&other.words).for_each(|(a, b)| *a &= !b);
    }

    /// Complement within `len`.
    pub fn not(&self) -> Bitmap {
        let mut out = Bitmap { words: self.words.iter().map(|w| !w).collect(), len: self.len };
        out.clear_tail();
        out
    }

    /// Append `n` rows whose membership is the low `n` bits of `words` (bit `i % 64` of word `i / 64`),
    /// at any bit offset. Bits of `words` past `n` are ignored.
    pub fn append_words(&mut self, words: &[u64], n: usize) {
        let old = self.len;
        let new_len = old + n;
        self.words.resize(new_len.div_ceil(64), 0);
        let shift = old % 64;
        let base = old / 64;
        let used = n.div_ceil(64).min(words.len());
        for (i, &w) in words[..used].iter().enumerate() {
            let w = if (i + 1) * 64 > n && !n.is_multiple_of(64) { w & ((1u64 << (n % 64)) - 1) } else { w };
            if shift == 0 {
                self.words[base + i] |= w;
            } else {
                self.words[base + i] |= w << shift;
                if let Some(next) = self.words.get_mut(base + i + 1) {
                    *next |= w >> (64 - shift);
                }
            }
        }
        self.len = new_len;
        self.clear_tail();
    }

    /// Grow to `len` rows; new rows are out (used when data is appended).
    pub fn extend_to(&mut self, len: usize) {
        debug_assert!(len >= self.len);
        self.words.resize(len.div_ceil(64), 0);
        self.len = len;
    }

    /// Row indices of the members, ascending.
    pub fn iter_ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(w, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let bit = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                Some(w * 64 + bit)
            })
        })
    }

    fn clear_tail(&mut self) {
        let rem = self.len % 64;
        if rem != 0 {
            if let Some(last) = self.words.last_mut() {
                *last &= (1u64 << rem) - 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algebra_matches_sets() {
        let a = Bitmap::from_fn(130, |i| i % 3 == 0);
        let b = Bitmap::from_fn(130, |i| i % 5 == 0);
        assert_eq!(a.count(), 44);
        assert_eq!(a.intersection_count(&b), 9);
        let mut u = a.clone();
        u.or_assign(&b);
        assert_eq!(u.count(), 44 + 26 - 9);
        assert_eq!(a.not().count(), 130 - 44);
        assert_eq!(Bitmap::ones(130).count(), 130);
        assert_eq!(a.iter_ones().take(3).collect::<Vec<_>>(), vec![0, 3, 6]);
        let mut d = a.clone();
        d.and_not_assign(&b);
        assert_eq!(d.count(), 35);
    }

    #[test]
    fn append_at_any_offset() {
        for first in [0usize, 1, 63, 64, 65, 130] {
            for second in [0usize, 1, 63, 64, 100] {
                let a = Bitmap::from_fn(first, |i| i % 3 == 0);
                let b = Bitmap::from_fn(second, |i| i % 7 != 2);
                let mut c = a.clone();
                c.append_words(b.words(), second);
                let want =
                    Bitmap::from_fn(first + second, |i| if i < first { i % 3 == 0 } else { (i - first) % 7 != 2 });
                assert_eq!(c, want, "{first} + {second}");
            }
        }
    }
}
