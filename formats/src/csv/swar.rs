//! Finding the next of three bytes eight bytes at a time in a u64 ("SWAR": SIMD within a register), the
//! tokenizer's inner loop. Plain integer arithmetic, so it is as fast in wasm32 (native i64) as natively and
//! needs no `simd128` build.

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// High bit set in each byte of `word` that equals `byte`. Bytes above a true match may be flagged too (the
/// borrow of the subtraction carries upwards), never bytes below one, so the lowest flag is exact.
#[inline(always)]
fn matches(word: u64, byte: u8) -> u64 {
    let x = word ^ (LO * u64::from(byte));
    x.wrapping_sub(LO) & !x & HI
}

/// Index of the first byte at or after `from` that is `x`, `y` or `z`, or `b.len()` when there is none.
#[inline]
pub fn find3(b: &[u8], from: usize, x: u8, y: u8, z: u8) -> usize {
    let mut i = from;
    while let Some(chunk) = b.get(i..i + 8) {
        let word = u64::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7]]);
        let found = matches(word, x) | matches(word, y) | matches(word, z);
        if found != 0 {
            // Little-endian: the lowest flagged byte is the first in memory.
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < b.len() && b[i] != x && b[i] != y && b[i] != z {
        i += 1;
    }
    i
}

/// Index of the first NUL byte of `b`, or `b.len()`: 32 bytes per step with one test, since a NUL is rare
/// (every CSV text is checked for one).
pub fn find_nul(b: &[u8]) -> usize {
    let mut at = 0;
    for block in b.chunks_exact(32) {
        let word = |i: usize| u64::from_le_bytes(block[i..i + 8].try_into().unwrap_or([1; 8]));
        let zero = |w: u64| w.wrapping_sub(LO) & !w & HI;
        if zero(word(0)) | zero(word(8)) | zero(word(16)) | zero(word(24)) != 0 {
            break;
        }
        at += 32;
    }
    find3(b, at, 0, 0, 0)
}

#[cfg(test)]
mod tests {
    use super::{find3, find_nul};

    #[test]
    fn finds_the_first_nul() {
        for len in [0, 1, 31, 32, 33, 64, 100] {
            let mut t = vec![b'a'; len];
            assert_eq!(find_nul(&t), len);
            for at in (0..len).rev() {
                t[at] = 0;
                assert_eq!(find_nul(&t), at, "{len} {at}");
            }
        }
        assert_eq!(find_nul(&[0x80, 0x01, 0xff, 0x00]), 3);
    }

    /// Against a byte-at-a-time search, for every start and every placement in and around one word.
    #[test]
    fn agrees_with_a_plain_search() {
        let plain =
            |b: &[u8], from: usize| (from..b.len()).find(|&i| matches!(b[i], b',' | b'\n' | b'\r')).unwrap_or(b.len());
        let mut texts: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"abc".to_vec(),
            "ä,ö\r\nxyz,1234567890,\u{ff0c}".as_bytes().to_vec(),
            vec![0xff; 20],
            vec![b','; 17],
        ];
        for at in 0..20 {
            for special in [b',', b'\n', b'\r'] {
                let mut t = vec![b'a'; 20];
                t[at] = special;
                texts.push(t.clone());
                // A byte just above the target (0x2d after ','), and 0x01 bytes, which trip naive zero tests.
                t.iter_mut().skip(at + 1).for_each(|c| *c = special + 1);
                texts.push(t.clone());
                t.iter_mut().take(at).for_each(|c| *c = 0x01);
                texts.push(t);
            }
        }
        for t in &texts {
            for from in 0..=t.len() {
                assert_eq!(find3(t, from, b',', b'\n', b'\r'), plain(t, from), "{t:?} from {from}");
            }
        }
    }
}
