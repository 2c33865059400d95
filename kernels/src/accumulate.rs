//! The per-row loops of the one-pass accumulation (segmetry's `metrics::accumulate` drives them): variant codes
//! per row, metric columns decoded to `f64` with validity and non-zero words, and per 64-row word the segment ×
//! variant cells' counts and sums.
//!
//! Sums are two-level: plain partial sums over [`FLUSH_WORDS`] words (a few adds per row, no branches), folded
//! into Neumaier compensated sums ([`CompensatedSum`]).

use arrow_buffer::{ArrowNativeType, BooleanBuffer, NullBuffer};

use crate::text::short_value;

/// Rows decoded at a time (a multiple of 64).
pub const CHUNK: usize = 4096;
/// 64-row words per chunk.
pub const WORDS: usize = CHUNK / 64;
/// Accumulators per segment: one per variant code (`0..MAX_VARIANTS`, then the unseen and null codes).
pub const STRIDE: usize = 256;
/// 64-row words summed plainly before a flush into the compensated sums.
const FLUSH_WORDS: usize = 16;
/// Code of a row whose variant is null.
pub const NULL_CODE: u8 = 255;
/// Marks a dictionary entry whose code is not known yet (codes are `0..MAX_VARIANTS` and [`NULL_CODE`]).
pub const UNSEEN_CODE: u8 = 254;

/// Neumaier (improved Kahan) compensated sum.
#[derive(Debug, Clone, Copy, Default)]
pub struct CompensatedSum {
    sum: f64,
    compensation: f64,
}

impl CompensatedSum {
    /// Add `x`.
    #[inline(always)]
    pub fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.compensation += (self.sum - t) + x;
        } else {
            self.compensation += (x - t) + self.sum;
        }
        self.sum = t;
    }

    /// The sum.
    pub fn value(&self) -> f64 {
        self.sum + self.compensation
    }
}

/// One segment × variant cell: counts, and plain partial sums over at most [`FLUSH_WORDS`]·64 rows folded into
/// the compensated totals by [`Acc::flush`]. The per-row work stays a handful of adds, and the rounding error of
/// a partial sum is at most ~1024·ε relative to that block's sum of magnitudes (~2e-13; typically ~1e-15).
#[derive(Debug, Clone, Copy, Default)]
pub struct Acc {
    /// Member rows.
    pub n: u64,
    /// Rows whose conversion is TRUE.
    pub conversions: u64,
    /// Rows whose conversion is null.
    pub conversion_nulls: u64,
    /// Rows whose revenue is null.
    pub revenue_nulls: u64,
    /// Rows with revenue whose covariate is null.
    pub covariate_nulls: u64,
    py: f64,
    pyy: f64,
    px: f64,
    pxx: f64,
    pxy: f64,
    /// Σ revenue.
    pub y: CompensatedSum,
    /// Σ revenue².
    pub yy: CompensatedSum,
    /// Σ covariate.
    pub x: CompensatedSum,
    /// Σ covariate².
    pub xx: CompensatedSum,
    /// Σ revenue · covariate.
    pub xy: CompensatedSum,
}

impl Acc {
    /// Fold the partial sums into the compensated totals (call before reading them).
    #[inline]
    pub fn flush(&mut self) {
        self.y.add(self.py);
        self.yy.add(self.pyy);
        self.x.add(self.px);
        self.xx.add(self.pxx);
        self.xy.add(self.pxy);
        self.py = 0.0;
        self.pyy = 0.0;
        self.px = 0.0;
        self.pxx = 0.0;
        self.pxy = 0.0;
    }
}

/// Per-chunk row bitmaps of the metric columns.
#[derive(Debug, Clone)]
pub struct ChunkBits {
    /// Conversion TRUE (and valid).
    pub ct: [u64; WORDS],
    /// Conversion null.
    pub cn: [u64; WORDS],
    /// Revenue valid.
    pub rv: [u64; WORDS],
    /// Revenue valid and non-zero.
    pub ynz: [u64; WORDS],
    /// Covariate valid.
    pub xv: [u64; WORDS],
    /// Covariate valid and non-zero.
    pub xnz: [u64; WORDS],
    /// Rows whose values must be added to the sums (all others add exact zeros).
    pub sum: [u64; WORDS],
}

impl Default for ChunkBits {
    fn default() -> Self {
        let z = [0u64; WORDS];
        ChunkBits { ct: z, cn: z, rv: z, ynz: z, xv: z, xnz: z, sum: z }
    }
}

/// Text variant keys met so far, for comparing bytes instead of hashing each row (codes are global): keys of
/// at most 8 bytes as (length, word) pairs, longer ones as bytes.
#[derive(Debug, Default)]
pub struct KnownText {
    short: Vec<(usize, u64, u8)>,
    long: Vec<(Vec<u8>, u8)>,
}

impl KnownText {
    /// The code of the key `data[lo..hi]`, if known.
    #[inline(always)]
    pub fn find(&self, data: &[u8], lo: usize, hi: usize) -> Option<u8> {
        match short_value(data, lo, hi) {
            Some(w) => {
                let len = hi - lo;
                self.short.iter().find(|k| k.0 == len && k.1 == w).map(|k| k.2)
            }
            None => {
                let v = data.get(lo..hi)?;
                self.long.iter().find(|(k, _)| k.as_slice() == v).map(|k| k.1)
            }
        }
    }

    /// Remember the key `data[lo..hi]` as `code` (the first 16 keys only: more are found the slow way).
    pub fn add(&mut self, data: &[u8], lo: usize, hi: usize, code: u8) {
        if self.short.len() + self.long.len() >= 16 {
            return;
        }
        match short_value(data, lo, hi) {
            Some(w) => self.short.push((hi - lo, w, code)),
            None => self.long.push((data[lo..hi].to_vec(), code)),
        }
    }
}

/// [`crate::text::DictKey::known_codes`].
#[inline(always)]
pub(crate) fn known_codes<K: ArrowNativeType>(keys: &[K], table: &[u8], out: &mut [u8]) -> usize {
    for (i, (o, k)) in out.iter_mut().zip(keys).enumerate() {
        match table.get(k.as_usize()) {
            Some(&c) if c != UNSEEN_CODE => *o = c,
            _ => return i,
        }
    }
    out.len().min(keys.len())
}

/// [`crate::text::Offset::known_codes`].
#[inline(always)]
pub(crate) fn known_text_codes<O: ArrowNativeType>(
    offsets: &[O],
    data: &[u8],
    nulls: Option<&NullBuffer>,
    known: &KnownText,
    start: usize,
    out: &mut [u8],
) -> usize {
    if known.long.is_empty() && known.short.len() <= 4 {
        return few_short_codes(offsets, data, nulls, known, start, out);
    }
    for (i, o) in out.iter_mut().enumerate() {
        let r = start + i;
        if nulls.is_some_and(|n| n.is_null(r)) {
            *o = NULL_CODE;
            continue;
        }
        let (lo, hi) = (offsets[r].as_usize(), offsets[r + 1].as_usize());
        match known.find(data, lo, hi) {
            Some(c) => *o = c,
            None => return i,
        }
    }
    out.len()
}

/// [`known_text_codes`] for the usual A/B test: at most four variants, each at most 8 bytes. The keys sit in
/// fixed arrays compared without branches (an unused slot has a length no value has), and the offsets are read
/// as pairs: about half the time per row of the general loop in wasm.
#[inline(always)]
fn few_short_codes<O: ArrowNativeType>(
    offsets: &[O],
    data: &[u8],
    nulls: Option<&NullBuffer>,
    known: &KnownText,
    start: usize,
    out: &mut [u8],
) -> usize {
    let (mut lens, mut words, mut codes) = ([usize::MAX; 4], [0u64; 4], [UNSEEN_CODE; 4]);
    for (k, &(len, word, code)) in known.short.iter().enumerate() {
        (lens[k], words[k], codes[k]) = (len, word, code);
    }
    let pairs = offsets[start..start + out.len() + 1].windows(2);
    for (i, (o, pair)) in out.iter_mut().zip(pairs).enumerate() {
        if nulls.is_some_and(|n| n.is_null(start + i)) {
            *o = NULL_CODE;
            continue;
        }
        let (lo, hi) = (pair[0].as_usize(), pair[1].as_usize());
        let Some(word) = short_value(data, lo, hi) else { return i };
        let len = hi - lo;
        let mut code = UNSEEN_CODE;
        for k in 0..4 {
            if lens[k] == len && words[k] == word {
                code = codes[k];
            }
        }
        if code == UNSEEN_CODE {
            return i;
        }
        *o = code;
    }
    out.len()
}

/// Bucket a chunk's rows by variant: `vbits[code]` gets the rows whose code is `code`. Clears the words of the
/// `live` codes in use and of [`NULL_CODE`] first (other codes never occur).
#[inline(never)]
pub fn variant_words(codes: &[u8], live: usize, vbits: &mut [[u64; WORDS]]) {
    let nw = codes.len().div_ceil(64);
    for c in (0..live).chain([NULL_CODE as usize]) {
        vbits[c][..nw].fill(0);
    }
    for (w, chunk) in codes.chunks(64).enumerate() {
        for (b, &c) in chunk.iter().enumerate() {
            vbits[c as usize][w] |= 1u64 << b;
        }
    }
}

/// Numeric column values that decode to `f64`.
pub trait ToF64: Copy {
    /// `out[i] = src[i] as f64` for every `i` of `out` (`src` at least as long).
    fn cast_into(src: &[Self], out: &mut [f64]);
}

macro_rules! to_f64 {
    ($($t:ty),*) => {$(
        impl ToF64 for $t {
            #[inline(never)]
            fn cast_into(src: &[Self], out: &mut [f64]) {
                for (o, &v) in out.iter_mut().zip(src) {
                    *o = v as f64;
                }
            }
        }
    )*};
}
to_f64!(f32, i8, i16, i32, i64, u8, u16, u32, u64);

/// Decimal128 values to `f64`: value / 10^scale with one rounding (exact powers of ten up to 1e22), as Python's
/// `float(Decimal)` does.
#[inline(never)]
pub fn decimal_into(src: &[i128], scale: i8, out: &mut [f64]) {
    let scale = i32::from(scale);
    if scale >= 0 {
        let d = 10f64.powi(scale);
        for (o, &x) in out.iter_mut().zip(src) {
            *o = x as f64 / d;
        }
    } else {
        let m = 10f64.powi(-scale);
        for (o, &x) in out.iter_mut().zip(src) {
            *o = x as f64 * m;
        }
    }
}

/// Bool values `start..start + out.len()` as 0.0 / 1.0.
#[inline(never)]
pub fn bools_into(bits: &BooleanBuffer, start: usize, out: &mut [f64]) {
    for (i, o) in out.iter_mut().enumerate() {
        *o = f64::from(u8::from(bits.value(start + i)));
    }
}

/// Valid-and-non-zero words of metric values: `nz[w]` = bits of the non-zero values of word `w` ∧ `valid[w]`.
/// Returns whether every value (valid or not) is finite.
#[inline(never)]
pub fn nonzero_words(values: &[f64], valid: &[u64], nz: &mut [u64]) -> bool {
    let mut finite = true;
    for ((chunk, z), v) in values.chunks(64).zip(nz.iter_mut()).zip(valid.iter()) {
        let mut bits = 0u64;
        for (k, &x) in chunk.iter().enumerate() {
            bits |= u64::from(x != 0.0) << k;
            finite &= x.is_finite();
        }
        *z = bits & v;
    }
    finite
}

/// Conversion TRUE words of 0/1 values: `ct[w]` = rows of word `w` equal to 1 ∧ `valid[w]`. A valid value other
/// than 0 or 1 stops it: `Err(i)` with the first such value's index.
#[inline(never)]
pub fn conversion_words(values: &[f64], valid: &[u64], ct: &mut [u64]) -> Result<(), usize> {
    for (w, chunk) in values.chunks(64).enumerate() {
        let (mut one, mut bad) = (0u64, 0u64);
        for (k, &x) in chunk.iter().enumerate() {
            one |= u64::from(x == 1.0) << k;
            bad |= u64::from(x != 0.0 && x != 1.0) << k;
        }
        bad &= valid[w];
        if bad != 0 {
            return Err(w * 64 + bad.trailing_zeros() as usize);
        }
        ct[w] = one & valid[w];
    }
    Ok(())
}

/// One chunk of rows, decoded: what [`Chunk::run`] adds to the cells.
pub struct Chunk<'a> {
    /// Dataset row of the chunk's first row.
    pub global: usize,
    /// Rows in the chunk (at most [`CHUNK`]).
    pub len: usize,
    /// Rows per variant code ([`variant_words`]).
    pub vbits: &'a [[u64; WORDS]],
    /// The metric columns' words.
    pub bits: &'a ChunkBits,
    /// Revenue values (empty without revenue).
    pub rev: &'a [f64],
    /// Covariate values (empty without a covariate).
    pub cov: &'a [f64],
}

/// 64 bits of `words` starting at bit `start` (bits past the end read as 0).
#[inline(always)]
fn window(words: &[u64], start: usize) -> u64 {
    let w = start / 64;
    let s = start % 64;
    let lo = words.get(w).copied().unwrap_or(0);
    if s == 0 {
        lo
    } else {
        (lo >> s) | (words.get(w + 1).copied().unwrap_or(0) << (64 - s))
    }
}

#[inline(always)]
fn pop(w: u64) -> u64 {
    u64::from(w.count_ones())
}

impl Chunk<'_> {
    /// Add the chunk's member rows to `accs` (per segment, per variant code; `live` codes are in use), with the
    /// metric columns present (`conversion`, `revenue`, `covariate`; a covariate counts only with revenue).
    /// `words[s]` is segment `s`'s dataset-wide bitmap.
    #[inline(never)]
    pub fn run(
        &self,
        (conversion, revenue, covariate): (bool, bool, bool),
        words: &[&[u64]],
        accs: &mut [[Acc; STRIDE]],
        live: usize,
    ) {
        match (conversion, revenue, covariate) {
            (false, false, _) => self.run_with::<false, false, false>(words, accs, live),
            (true, false, _) => self.run_with::<true, false, false>(words, accs, live),
            (false, true, false) => self.run_with::<false, true, false>(words, accs, live),
            (true, true, false) => self.run_with::<true, true, false>(words, accs, live),
            (false, true, true) => self.run_with::<false, true, true>(words, accs, live),
            (true, true, true) => self.run_with::<true, true, true>(words, accs, live),
        }
    }

    /// Per 64-row word, segment ∧ variant gives the cell's rows, popcounts give n, conversions and nulls, and
    /// only rows with a non-zero value are visited for the sums (in row order, so the sums are those of adding
    /// every row).
    fn run_with<const CONV: bool, const REV: bool, const COV: bool>(
        &self,
        words: &[&[u64]],
        accs: &mut [[Acc; STRIDE]],
        live: usize,
    ) {
        let n = self.len.min(CHUNK);
        let nw = n.div_ceil(64);
        let tail = if n.is_multiple_of(64) { u64::MAX } else { (1u64 << (n % 64)) - 1 };
        let b = self.bits;
        let vbits = &self.vbits[..STRIDE];
        let nulls = &vbits[NULL_CODE as usize];
        let (rev, cov) = (self.rev, self.cov);
        for (seg, acc) in words.iter().zip(accs.iter_mut()) {
            for w in 0..nw {
                let mut m = window(seg, self.global + w * 64);
                if w + 1 == nw {
                    m &= tail;
                }
                if m != 0 {
                    acc[NULL_CODE as usize].n += pop(m & nulls[w]);
                    for (cell, vb) in acc[..live].iter_mut().zip(&vbits[..live]) {
                        let mv = m & vb[w];
                        if mv == 0 {
                            continue;
                        }
                        cell.n += pop(mv);
                        if CONV {
                            cell.conversions += pop(mv & b.ct[w]);
                            cell.conversion_nulls += pop(mv & b.cn[w]);
                        }
                        if REV {
                            cell.revenue_nulls += pop(mv & !b.rv[w]);
                            if COV {
                                cell.covariate_nulls += pop(mv & b.rv[w] & !b.xv[w]);
                            }
                            let mut s = mv & b.sum[w];
                            let base = w * 64;
                            while s != 0 {
                                let i = base + s.trailing_zeros() as usize;
                                s &= s - 1;
                                let y = rev.get(i).copied().unwrap_or(0.0);
                                cell.py += y;
                                cell.pyy += y * y;
                                if COV {
                                    let x = if b.xv[w] >> (i - base) & 1 == 1 {
                                        cov.get(i).copied().unwrap_or(0.0)
                                    } else {
                                        0.0
                                    };
                                    cell.px += x;
                                    cell.pxx += x * x;
                                    cell.pxy += x * y;
                                }
                            }
                        }
                    }
                }
                if REV && (w + 1) % FLUSH_WORDS == 0 {
                    acc[..live].iter_mut().for_each(Acc::flush);
                }
            }
            if REV {
                acc[..live].iter_mut().for_each(Acc::flush);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_stop_at_the_first_unknown_key() {
        let table = [0u8, UNSEEN_CODE, 2];
        let mut out = [9u8; 5];
        assert_eq!(known_codes(&[0i32, 2, 0, 1, 2], &table, &mut out), 3);
        assert_eq!(out[..3], [0, 2, 0]);
        assert_eq!(known_codes(&[2i32, 7], &table, &mut out[..2]), 1);
        assert_eq!(known_codes(&[-1i8], &table, &mut out[..1]), 0);
        assert_eq!(known_codes(&[2u8, 0], &table, &mut out[..2]), 2);

        let data = b"AtreatmentA";
        let offsets = [0i32, 1, 10, 10, 11];
        let nulls = NullBuffer::from(vec![true, true, false, true]);
        let mut known = KnownText::default();
        known.add(data, 0, 1, 4);
        let mut out = [9u8; 4];
        assert_eq!(known_text_codes(&offsets, data, Some(&nulls), &known, 0, &mut out), 1);
        known.add(data, 1, 10, 5);
        assert_eq!(known_text_codes(&offsets, data, Some(&nulls), &known, 0, &mut out), 4);
        assert_eq!(out, [4, 5, NULL_CODE, 4]);
    }

    #[test]
    fn few_short_keys_take_the_fast_loop_and_agree_with_the_general_one() {
        let data = b"ABexactly8C";
        let offsets = [0i32, 1, 2, 10, 10, 11, 1];
        let nulls = NullBuffer::from(vec![true, true, true, false, true, true]);
        let mut known = KnownText::default();
        known.add(data, 0, 1, 0);
        known.add(data, 1, 2, 1);
        known.add(data, 2, 10, 2);
        let general = |known: &KnownText, out: &mut [u8]| {
            out.iter_mut()
                .enumerate()
                .position(|(r, o)| {
                    match (nulls.is_null(r), known.find(data, offsets[r] as usize, offsets[r + 1] as usize)) {
                        (true, _) => {
                            *o = NULL_CODE;
                            false
                        }
                        (false, Some(c)) => {
                            *o = c;
                            false
                        }
                        (false, None) => true,
                    }
                })
                .unwrap_or(out.len())
        };
        let (mut fast, mut slow) = ([9u8; 6], [9u8; 6]);
        // Row 4, "C", is not known yet.
        assert_eq!(known_text_codes(&offsets, data, Some(&nulls), &known, 0, &mut fast), 4);
        assert_eq!(general(&known, &mut slow), 4);
        assert_eq!(fast[..4], [0, 1, 2, NULL_CODE]);
        assert_eq!(fast[..4], slow[..4]);
        known.add(data, 10, 11, 3); // "C": four keys, still the fast loop
                                    // Row 5's offsets go backwards (`11..1`): no key, so the loop stops there.
        assert_eq!(known_text_codes(&offsets, data, Some(&nulls), &known, 0, &mut fast), 5);
        assert_eq!(general(&known, &mut slow), 5);
        assert_eq!(fast[..5], [0, 1, 2, NULL_CODE, 3]);
        assert_eq!(fast[..5], slow[..5]);
    }

    #[test]
    fn metric_words() {
        let values: Vec<f64> = (0..130).map(|i| f64::from(i % 3 == 0)).collect();
        let valid = [u64::MAX, !1, 0b11];
        let mut ct = [0u64; 3];
        assert_eq!(conversion_words(&values, &valid, &mut ct), Ok(()));
        for i in 0..130 {
            assert_eq!(ct[i / 64] >> (i % 64) & 1 == 1, i % 3 == 0 && valid[i / 64] >> (i % 64) & 1 == 1);
        }
        let mut nz = [0u64; 3];
        assert!(nonzero_words(&values, &valid, &mut nz));
        assert_eq!(nz, ct);
        let mut bad = values.clone();
        bad[64] = 2.0; // not valid: ignored
        bad[100] = f64::NAN;
        assert_eq!(conversion_words(&bad, &valid, &mut ct), Err(100));
        assert!(!nonzero_words(&bad, &valid, &mut nz));
    }
}
