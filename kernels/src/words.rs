//! Per-row test results packed into 64-row words (bit `i % 64` of word `i / 64` is row `i`).

/// Pack 64 bytes of 0/1 into a word (byte `i` → bit `i`): eight multiplies, no per-bit shifts.
#[inline(always)]
pub fn pack64(bytes: &[u8; 64]) -> u64 {
    let mut word = 0u64;
    for (i, b) in bytes.chunks_exact(8).enumerate() {
        let mut eight = [0u8; 8];
        eight.copy_from_slice(b);
        // Byte j (0 or 1) lands on bit 56 + j; no two partial products overlap, so nothing carries.
        let x = u64::from_le_bytes(eight).wrapping_mul(0x0102_0408_1020_4080) >> 56;
        word |= x << (8 * i);
    }
    word
}

/// Write `f(v)` for each value, 64 values per word (`out` must have `values.len().div_ceil(64)` words). The
/// tests go to a byte array first (a loop the compiler vectorizes), then [`pack64`] makes the word.
///
/// Generic: call it from this crate only (a caller elsewhere would compile its own copy at its opt-level).
#[inline]
pub fn fill<T: Copy>(values: &[T], out: &mut [u64], f: impl Fn(T) -> bool) {
    let mut chunks = values.chunks_exact(64);
    let mut words = out.iter_mut();
    let mut tmp = [0u8; 64];
    for (chunk, word) in (&mut chunks).zip(&mut words) {
        for (t, &v) in tmp.iter_mut().zip(chunk) {
            *t = u8::from(f(v));
        }
        *word = pack64(&tmp);
    }
    let rest = chunks.remainder();
    if let (false, Some(word)) = (rest.is_empty(), words.next()) {
        let mut bits = 0u64;
        for (i, &v) in rest.iter().enumerate() {
            bits |= u64::from(f(v)) << i;
        }
        *word = bits;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_packs_bits_in_row_order() {
        let v: Vec<u32> = (0..200).map(|i| (i * 7919) % 13).collect();
        let mut out = vec![0u64; 4];
        fill(&v, &mut out, |x| x < 5);
        for (i, x) in v.iter().enumerate() {
            assert_eq!(out[i / 64] >> (i % 64) & 1 == 1, *x < 5, "row {i}");
        }
        let mut bytes = [0u8; 64];
        bytes[0] = 1;
        bytes[9] = 1;
        bytes[63] = 1;
        assert_eq!(pack64(&bytes), 1 | 1 << 9 | 1 << 63);
        assert_eq!(pack64(&[1; 64]), u64::MAX);
    }
}
