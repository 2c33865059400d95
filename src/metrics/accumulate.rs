//! The one-pass kernel: per segment bitmap × variant, counts and compensated sums.
//!
//! Each batch is walked in chunks of [`CHUNK`] rows. For a chunk, the variant codes and the metric columns are
//! decoded once into small reusable buffers (typed fast paths for every numeric type, bool and decimal; no per-row
//! allocation), then every segment's bitmap is read 64 rows at a time (zero words skipped) and each member row
//! updates its segment × variant accumulator. So each needed column is read once, whatever the number of segments.
//!
//! Sums are two-level: plain partial sums over blocks of 1,024 rows (a few adds per row, no branches), folded
//! into Neumaier compensated sums. The error is at most ~1024·ε of one block's Σ|x| plus one rounding of the
//! result, so sums agree with the exactly rounded sum (Python's `math.fsum`) to ~1e-15 relative unless the
//! values cancel almost completely (the fixtures check ≤ 1e-15 against `fsum` and ≤ 1e-12 against DuckDB).

use arrow_array::cast::AsArray;
use arrow_array::types::ArrowDictionaryKeyType;
use arrow_array::types::*;
use arrow_array::{Array, ArrayRef, ArrowPrimitiveType, GenericStringArray, OffsetSizeTrait};
use arrow_buffer::{ArrowNativeType, NullBuffer};
use arrow_schema::DataType;

use super::metric_accumulate::{MetricAccumulator, MetricCell};
use super::metric_spec::ResolvedMetric;
use super::summary::CellSummary;
use super::variants::{VariantReader, VariantSet, NULL_CODE};
use crate::error::{Error, ErrorCode, Result};
use crate::ingest::{type_name, value_kind, Dataset, ValueKind};
use crate::messages::{nested, Message};
use crate::segments::eval::text::short_value;
use crate::segments::Bitmap;

/// Rows decoded at a time (a multiple of 64).
pub const CHUNK: usize = 4096;
const STRIDE: usize = 256;

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

/// Plain partial sums over at most [`FLUSH_WORDS`]·64 rows, then folded into the compensated totals: the
/// per-row work stays a handful of adds, and the rounding error of a partial sum is at most ~1024·ε relative to
/// that block's sum of magnitudes (~2e-13; typically ~1e-15), compensated across blocks.
#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    n: u64,
    conversions: u64,
    conversion_nulls: u64,
    revenue_nulls: u64,
    covariate_nulls: u64,
    py: f64,
    pyy: f64,
    px: f64,
    pxx: f64,
    pxy: f64,
    y: CompensatedSum,
    yy: CompensatedSum,
    x: CompensatedSum,
    xx: CompensatedSum,
    xy: CompensatedSum,
}

/// 64-row words summed plainly before a flush into the compensated sums.
const FLUSH_WORDS: usize = 16;

impl Acc {
    #[inline]
    fn flush(&mut self) {
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

    fn finish(&self) -> CellSummary {
        CellSummary {
            n: self.n,
            conversions: self.conversions,
            conversion_nulls: self.conversion_nulls,
            revenue_sum: self.y.value(),
            revenue_sum_squares: self.yy.value(),
            revenue_nulls: self.revenue_nulls,
            covariate_sum: self.x.value(),
            covariate_sum_squares: self.xx.value(),
            revenue_covariate_sum: self.xy.value(),
            covariate_nulls: self.covariate_nulls,
        }
    }
}

/// What the metric columns are: indices into the dataset, already type-checked.
#[derive(Debug, Clone, Copy)]
pub struct MetricColumns {
    /// Variant column.
    pub variant: usize,
    /// Conversion column (bool or 0/1 numeric).
    pub conversion: Option<usize>,
    /// Revenue column (numeric).
    pub revenue: Option<usize>,
    /// Covariate column (numeric); only used with `revenue`.
    pub covariate: Option<usize>,
}

/// Result of [`accumulate`]: per segment, per variant code (first-seen order) the cell, and the unassigned count.
pub struct Accumulated {
    /// The variant keys met (index = code).
    pub variants: VariantSet,
    /// `cells[segment][code]`.
    pub cells: Vec<Vec<CellSummary>>,
    /// Per segment: members with a null variant.
    pub unassigned: Vec<u64>,
    /// `metric_cells[segment][code][metric]`, for the named metrics.
    pub metric_cells: Vec<Vec<Vec<MetricCell>>>,
}

/// Check a metric column's type: conversion must be bool or numeric, revenue/covariate numeric.
pub fn check_metric_type(option: &str, column: &str, data_type: &DataType) -> Result<()> {
    let kind = value_kind(data_type);
    let ok = match option {
        "conversion" => matches!(kind, Some(ValueKind::Boolean | ValueKind::Numeric)),
        _ => matches!(kind, Some(ValueKind::Numeric)),
    };
    if ok {
        return Ok(());
    }
    let want = nested(if option == "conversion" { "want_conversion" } else { "want_numeric" }, &[]);
    let message =
        Message::new("option_type_mismatch", [option.to_string(), column.to_string(), type_name(data_type), want]);
    Err(message.into_error(ErrorCode::TypeMismatch).with_subject(column))
}

/// Whether `test` holds for every non-null value of numeric (or bool) column `c`, decoded as the kernel does.
pub fn numeric_values_all(dataset: &Dataset, c: usize, test: impl Fn(f64) -> bool) -> bool {
    let mut buf = vec![0f64; CHUNK];
    for chunk in dataset.column_chunks(c) {
        let column = NumColumn::new(chunk);
        let mut start = 0;
        while start < chunk.len() {
            let m = CHUNK.min(chunk.len() - start);
            if column.fill(start, &mut buf[..m]).is_err() {
                return false;
            }
            let valid = |i: usize| column.nulls.is_none_or(|n| n.is_valid(start + i));
            if buf[..m].iter().enumerate().any(|(i, &x)| valid(i) && !test(x)) {
                return false;
            }
            start += m;
        }
    }
    true
}

/// One pass over `dataset`: every segment × variant cell. `segments[i].len()` must be the row count.
pub fn accumulate(
    dataset: &Dataset,
    segments: &[&Bitmap],
    columns: MetricColumns,
    metrics: &[ResolvedMetric],
) -> Result<Accumulated> {
    for b in segments {
        if b.len() != dataset.num_rows() {
            return Err(Error::new(ErrorCode::Internal, "a segment bitmap does not cover the dataset's rows"));
        }
    }
    let name = |i: usize| dataset.schema().field(i).name().clone();
    let mut variants = VariantSet::new(&name(columns.variant));
    let mut accs: Vec<[Acc; STRIDE]> = vec![[Acc::default(); STRIDE]; segments.len()];
    let mut named = MetricAccumulator::new(metrics, segments.len(), STRIDE);
    let mut codes = vec![0u8; CHUNK];
    // Per chunk: one bitmap per variant code (rows bucketed by variant once, whatever the number of segments).
    let mut vbits: Vec<[u64; WORDS]> = vec![[0u64; WORDS]; STRIDE];
    let mut bits = ChunkBits::default();
    let mut rev_buf = vec![0f64; CHUNK];
    let mut cov_buf = vec![0f64; CHUNK];
    let mut known = KnownText::default();
    let words: Vec<&[u64]> = segments.iter().map(|b| b.words()).collect();
    let conv_name = columns.conversion.map(name).unwrap_or_default();
    let rev_name = columns.revenue.map(name).unwrap_or_default();
    let cov_name = columns.covariate.map(name).unwrap_or_default();
    let mut offset = 0usize;
    for batch in dataset.batches() {
        let rows = batch.num_rows();
        let variant_col = batch.column(columns.variant);
        let mut reader = VariantReader::new(variant_col);
        let mut dict_table = match variant_col.data_type() {
            DataType::Dictionary(_, _) => vec![UNSEEN_CODE; variant_col.as_any_dictionary().values().len()],
            _ => Vec::new(),
        };
        let conv_col = columns.conversion.map(|c| NumColumn::new(batch.column(c)));
        let rev_col = columns.revenue.map(|c| NumColumn::new(batch.column(c)));
        let cov_col =
            if columns.revenue.is_some() { columns.covariate.map(|c| NumColumn::new(batch.column(c))) } else { None };
        let mut start = 0;
        while start < rows {
            let m = CHUNK.min(rows - start);
            let nw = m.div_ceil(64);
            let global = offset + start;
            // Every 16 chunks (64 Ki rows): often enough to stop within milliseconds, rare enough to cost nothing.
            if (global / CHUNK).is_multiple_of(16) {
                crate::cancel::checkpoint(crate::cancel::Phase::Metrics, global as u64, dataset.num_rows() as u64)?;
            }
            fill_codes(variant_col, &mut reader, &mut variants, &mut dict_table, &mut known, start, &mut codes[..m])?;
            let live = variants.keys().len();
            for c in (0..live).chain([NULL_CODE as usize]) {
                vbits[c][..nw].fill(0);
            }
            for (w, chunk) in codes[..m].chunks(64).enumerate() {
                for (b, &c) in chunk.iter().enumerate() {
                    vbits[c as usize][w] |= 1u64 << b;
                }
            }
            if let Some(c) = &conv_col {
                c.conversion_words(start, m, &mut rev_buf[..m], &mut bits, &conv_name, global)?;
            }
            let mut rev: &[f64] = &[];
            if let Some(c) = &rev_col {
                rev = c.metric_words(start, m, &mut rev_buf[..m], &mut bits.rv, &mut bits.ynz, &rev_name, global)?;
            }
            let mut cov: &[f64] = &[];
            if let Some(c) = &cov_col {
                cov = c.metric_words(start, m, &mut cov_buf[..m], &mut bits.xv, &mut bits.xnz, &cov_name, global)?;
                // Only rows with revenue carry the covariate: the kernel adds x only where revenue is valid (and x
                // where it is valid: null slots may hold anything), and counts a missing x only where revenue is.
                for w in 0..nw {
                    bits.sum[w] = bits.rv[w] & (bits.ynz[w] | (bits.xnz[w] & bits.xv[w]));
                }
            } else if rev_col.is_some() {
                for w in 0..nw {
                    bits.sum[w] = bits.rv[w] & bits.ynz[w];
                }
            }
            let chunk = Chunk { global, len: m, vbits: &vbits, bits: &bits, rev, cov };
            match (conv_col.is_some(), rev_col.is_some(), cov_col.is_some()) {
                (false, false, _) => chunk.run::<false, false, false>(&words, &mut accs, live),
                (true, false, _) => chunk.run::<true, false, false>(&words, &mut accs, live),
                (false, true, false) => chunk.run::<false, true, false>(&words, &mut accs, live),
                (true, true, false) => chunk.run::<true, true, false>(&words, &mut accs, live),
                (false, true, true) => chunk.run::<false, true, true>(&words, &mut accs, live),
                (true, true, true) => chunk.run::<true, true, true>(&words, &mut accs, live),
            }
            if !metrics.is_empty() {
                named.chunk(batch, start, global, &codes[..m], &words)?;
            }
            start += m;
        }
        offset += rows;
    }
    let k = variants.keys().len();
    for acc in accs.iter_mut() {
        acc.iter_mut().for_each(Acc::flush);
    }
    let cells = accs.iter().map(|a| a[..k].iter().map(Acc::finish).collect()).collect();
    let unassigned = accs.iter().map(|a| a[NULL_CODE as usize].n).collect();
    let metric_cells = named.finish(k);
    Ok(Accumulated { variants, cells, unassigned, metric_cells })
}

/// 64-row words per chunk.
const WORDS: usize = CHUNK / 64;
/// Marks a dictionary entry whose code is not known yet (codes are `0..MAX_VARIANTS` and `NULL_CODE`).
const UNSEEN_CODE: u8 = 254;

/// Per-chunk row bitmaps of the metric columns.
struct ChunkBits {
    /// Conversion TRUE (and valid).
    ct: [u64; WORDS],
    /// Conversion null.
    cn: [u64; WORDS],
    /// Revenue valid.
    rv: [u64; WORDS],
    /// Revenue valid and non-zero.
    ynz: [u64; WORDS],
    /// Covariate valid.
    xv: [u64; WORDS],
    /// Covariate valid and non-zero.
    xnz: [u64; WORDS],
    /// Rows whose values must be added to the sums (all others add exact zeros).
    sum: [u64; WORDS],
}

impl Default for ChunkBits {
    fn default() -> Self {
        let z = [0u64; WORDS];
        ChunkBits { ct: z, cn: z, rv: z, ynz: z, xv: z, xnz: z, sum: z }
    }
}

/// Text variant keys met so far, for comparing bytes instead of hashing each row (codes are global): keys of
/// at most 8 bytes as (length, word) pairs, longer ones as bytes.
#[derive(Default)]
struct KnownText {
    short: Vec<(usize, u64, u8)>,
    long: Vec<(Vec<u8>, u8)>,
}

impl KnownText {
    #[inline(always)]
    fn find(&self, data: &[u8], lo: usize, hi: usize) -> Option<u8> {
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

    fn add(&mut self, data: &[u8], lo: usize, hi: usize, code: u8) {
        if self.short.len() + self.long.len() >= 16 {
            return;
        }
        match short_value(data, lo, hi) {
            Some(w) => self.short.push((hi - lo, w, code)),
            None => self.long.push((data[lo..hi].to_vec(), code)),
        }
    }
}

/// Variant codes of rows `start..start + out.len()` of one batch: per dictionary entry once, or by comparing
/// the bytes of plain text against the few keys met; other types go through [`VariantReader`].
fn fill_codes(
    array: &ArrayRef,
    reader: &mut VariantReader<'_>,
    set: &mut VariantSet,
    dict_table: &mut [u8],
    known: &mut KnownText,
    start: usize,
    out: &mut [u8],
) -> Result<()> {
    match array.data_type() {
        DataType::Dictionary(k, _) => match k.as_ref() {
            DataType::Int8 => dict_codes::<Int8Type>(array, reader, set, dict_table, start, out),
            DataType::Int16 => dict_codes::<Int16Type>(array, reader, set, dict_table, start, out),
            DataType::Int32 => dict_codes::<Int32Type>(array, reader, set, dict_table, start, out),
            DataType::Int64 => dict_codes::<Int64Type>(array, reader, set, dict_table, start, out),
            DataType::UInt8 => dict_codes::<UInt8Type>(array, reader, set, dict_table, start, out),
            DataType::UInt16 => dict_codes::<UInt16Type>(array, reader, set, dict_table, start, out),
            DataType::UInt32 => dict_codes::<UInt32Type>(array, reader, set, dict_table, start, out),
            DataType::UInt64 => dict_codes::<UInt64Type>(array, reader, set, dict_table, start, out),
            _ => reader.fill(set, start, out),
        },
        DataType::Utf8 => text_codes(array.as_string::<i32>(), reader, set, known, start, out),
        DataType::LargeUtf8 => text_codes(array.as_string::<i64>(), reader, set, known, start, out),
        _ => reader.fill(set, start, out),
    }
}

fn dict_codes<K: ArrowDictionaryKeyType>(
    array: &ArrayRef,
    reader: &mut VariantReader<'_>,
    set: &mut VariantSet,
    table: &mut [u8],
    start: usize,
    out: &mut [u8],
) -> Result<()> {
    let d = array.as_dictionary::<K>();
    if d.keys().nulls().is_some() {
        return reader.fill(set, start, out);
    }
    let keys = &d.keys().values()[start..start + out.len()];
    for (i, (o, k)) in out.iter_mut().zip(keys).enumerate() {
        let k = k.as_usize();
        match table.get(k) {
            Some(&c) if c != UNSEEN_CODE => *o = c,
            Some(_) => {
                reader.fill(set, start + i, std::slice::from_mut(o))?;
                table[k] = *o;
            }
            // Out of range: the reader reports it.
            None => reader.fill(set, start + i, std::slice::from_mut(o))?,
        }
    }
    Ok(())
}

fn text_codes<O: OffsetSizeTrait>(
    s: &GenericStringArray<O>,
    reader: &mut VariantReader<'_>,
    set: &mut VariantSet,
    known: &mut KnownText,
    start: usize,
    out: &mut [u8],
) -> Result<()> {
    let offsets = s.value_offsets();
    let data = s.value_data();
    let nulls = s.nulls();
    for (i, o) in out.iter_mut().enumerate() {
        let r = start + i;
        if nulls.is_some_and(|n| n.is_null(r)) {
            *o = NULL_CODE;
            continue;
        }
        let (lo, hi) = (offsets[r].as_usize(), offsets[r + 1].as_usize());
        match known.find(data, lo, hi) {
            Some(c) => *o = c,
            None => {
                reader.fill(set, r, std::slice::from_mut(o))?;
                known.add(data, lo, hi, *o);
            }
        }
    }
    Ok(())
}

fn check_finite(values: &[f64], valid: &[u64], column: &str, first_row: usize) -> Result<()> {
    if values.iter().all(|v| v.is_finite()) {
        return Ok(());
    }
    let bad = values.iter().enumerate().find(|(i, v)| valid[i / 64] >> (i % 64) & 1 == 1 && !v.is_finite());
    match bad {
        None => Ok(()),
        Some((i, v)) => {
            let message = Message::new("not_finite", [column.to_string(), v.to_string(), (first_row + i).to_string()]);
            Err(message.into_error(ErrorCode::InvalidArgument).with_subject(column))
        }
    }
}

struct Chunk<'a> {
    global: usize,
    len: usize,
    vbits: &'a [[u64; WORDS]],
    bits: &'a ChunkBits,
    rev: &'a [f64],
    cov: &'a [f64],
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
    /// Add the chunk's member rows to `accs` (per segment, per variant code; `live` codes are in use): per 64-row
    /// word, segment ∧ variant gives the cell's rows, popcounts give n, conversions and nulls, and only rows with
    /// a non-zero value are visited for the sums (in row order, so the sums are those of adding every row).
    fn run<const CONV: bool, const REV: bool, const COV: bool>(
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

/// A numeric or bool column chunk, decoded to `f64` with a validity byte per row (null values decode as 0).
enum Values<'a> {
    F64(&'a [f64]),
    F32(&'a [f32]),
    I8(&'a [i8]),
    I16(&'a [i16]),
    I32(&'a [i32]),
    I64(&'a [i64]),
    U8(&'a [u8]),
    U16(&'a [u16]),
    U32(&'a [u32]),
    U64(&'a [u64]),
    Decimal(&'a [i128], i8),
    Bool(&'a arrow_array::BooleanArray),
    Unsupported(DataType),
}

pub(super) struct NumColumn<'a> {
    values: Values<'a>,
    pub(super) nulls: Option<&'a NullBuffer>,
}

fn prim<T: ArrowPrimitiveType>(a: &ArrayRef) -> &[T::Native] {
    a.as_primitive::<T>().values()
}

impl<'a> NumColumn<'a> {
    pub(super) fn new(a: &'a ArrayRef) -> Self {
        let values = match a.data_type() {
            DataType::Float64 => Values::F64(prim::<Float64Type>(a)),
            DataType::Float32 => Values::F32(prim::<Float32Type>(a)),
            DataType::Int8 => Values::I8(prim::<Int8Type>(a)),
            DataType::Int16 => Values::I16(prim::<Int16Type>(a)),
            DataType::Int32 => Values::I32(prim::<Int32Type>(a)),
            DataType::Int64 => Values::I64(prim::<Int64Type>(a)),
            DataType::UInt8 => Values::U8(prim::<UInt8Type>(a)),
            DataType::UInt16 => Values::U16(prim::<UInt16Type>(a)),
            DataType::UInt32 => Values::U32(prim::<UInt32Type>(a)),
            DataType::UInt64 => Values::U64(prim::<UInt64Type>(a)),
            DataType::Decimal128(_, s) => Values::Decimal(prim::<Decimal128Type>(a), *s),
            DataType::Boolean => Values::Bool(a.as_boolean()),
            other => Values::Unsupported(other.clone()),
        };
        NumColumn { values, nulls: a.nulls() }
    }

    pub(super) fn fill(&self, start: usize, out: &mut [f64]) -> Result<()> {
        fn cast<T: Copy>(src: &[T], start: usize, out: &mut [f64], f: impl Fn(T) -> f64) {
            let len = out.len();
            for (o, &v) in out.iter_mut().zip(&src[start..start + len]) {
                *o = f(v);
            }
        }
        match &self.values {
            Values::F64(v) => out.copy_from_slice(&v[start..start + out.len()]),
            Values::F32(v) => cast(v, start, out, f64::from),
            Values::I8(v) => cast(v, start, out, f64::from),
            Values::I16(v) => cast(v, start, out, f64::from),
            Values::I32(v) => cast(v, start, out, f64::from),
            Values::I64(v) => cast(v, start, out, |x| x as f64),
            Values::U8(v) => cast(v, start, out, f64::from),
            Values::U16(v) => cast(v, start, out, f64::from),
            Values::U32(v) => cast(v, start, out, f64::from),
            Values::U64(v) => cast(v, start, out, |x| x as f64),
            Values::Decimal(v, scale) => {
                // value / 10^scale with one rounding (exact powers of ten up to 1e22), as float(Decimal) does.
                let scale = i32::from(*scale);
                if scale >= 0 {
                    let d = 10f64.powi(scale);
                    cast(v, start, out, |x| x as f64 / d)
                } else {
                    let m = 10f64.powi(-scale);
                    cast(v, start, out, |x| x as f64 * m)
                }
            }
            Values::Bool(b) => {
                let bits = b.values();
                for (i, o) in out.iter_mut().enumerate() {
                    *o = f64::from(u8::from(bits.value(start + i)));
                }
            }
            Values::Unsupported(t) => {
                return Err(Error::new(ErrorCode::Internal, format!("metric column of type {t} passed the type check")))
            }
        }
        Ok(())
    }

    /// Validity of rows `start..start + m` as words (all ones without nulls; bits past `m` unspecified).
    fn valid_words(&self, start: usize, m: usize, out: &mut [u64; WORDS]) {
        match self.nulls {
            None => out.fill(u64::MAX),
            Some(n) => {
                let b = n.inner();
                for (o, x) in out.iter_mut().zip(b.inner().bit_chunks(b.offset() + start, m).iter_padded()) {
                    *o = x;
                }
            }
        }
    }

    /// A metric column's rows `start..start + m`: the values (a zero-copy view of float64 columns, else decoded
    /// into `buf`; null slots unspecified), validity words and valid-and-non-zero words. Non-finite values fail.
    #[allow(clippy::too_many_arguments)]
    fn metric_words<'s>(
        &'s self,
        start: usize,
        m: usize,
        buf: &'s mut [f64],
        valid: &mut [u64; WORDS],
        nz: &mut [u64; WORDS],
        column: &str,
        first_row: usize,
    ) -> Result<&'s [f64]> {
        let values: &[f64] = match &self.values {
            Values::F64(v) => &v[start..start + m],
            _ => {
                self.fill(start, &mut buf[..m])?;
                &buf[..m]
            }
        };
        self.valid_words(start, m, valid);
        let mut finite = true;
        for ((chunk, z), v) in values.chunks(64).zip(nz.iter_mut()).zip(valid.iter()) {
            let mut bits = 0u64;
            for (k, &x) in chunk.iter().enumerate() {
                bits |= u64::from(x != 0.0) << k;
                finite &= x.is_finite();
            }
            *z = bits & v;
        }
        if !finite {
            check_finite(values, valid, column, first_row)?;
        }
        Ok(values)
    }

    /// Conversion words of rows `start..start + m`: TRUE (valid and 1) and null. Numeric values other than 0/1 fail.
    fn conversion_words(
        &self,
        start: usize,
        m: usize,
        buf: &mut [f64],
        bits: &mut ChunkBits,
        column: &str,
        first_row: usize,
    ) -> Result<()> {
        let mut valid = [0u64; WORDS];
        self.valid_words(start, m, &mut valid);
        match &self.values {
            Values::Bool(b) => {
                let v = b.values();
                let chunks = v.inner().bit_chunks(v.offset() + start, m);
                for ((ct, x), ok) in bits.ct.iter_mut().zip(chunks.iter_padded()).zip(&valid) {
                    *ct = x & ok;
                }
            }
            _ => {
                self.fill(start, &mut buf[..m])?;
                for (w, chunk) in buf[..m].chunks(64).enumerate() {
                    let (mut one, mut bad) = (0u64, 0u64);
                    for (k, &x) in chunk.iter().enumerate() {
                        one |= u64::from(x == 1.0) << k;
                        bad |= u64::from(x != 0.0 && x != 1.0) << k;
                    }
                    bad &= valid[w];
                    if bad != 0 {
                        let k = bad.trailing_zeros() as usize;
                        let (value, row) = (chunk[k].to_string(), (first_row + w * 64 + k).to_string());
                        let message = Message::new("conversion_not_01", [column.to_string(), value, row]);
                        return Err(message.into_error(ErrorCode::TypeMismatch).with_subject(column));
                    }
                    bits.ct[w] = one & valid[w];
                }
            }
        }
        for (cn, ok) in bits.cn.iter_mut().zip(&valid) {
            *cn = !ok;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{BooleanArray, DictionaryArray, Float64Array, RecordBatch, StringArray};
    use arrow_schema::{Field, Schema};

    use super::*;

    /// A naive row-at-a-time reference for the word kernel: same cells, whatever the variant encoding, nulls,
    /// batch boundaries (not multiples of 64) and segment shapes.
    #[test]
    fn word_kernel_matches_row_by_row() {
        let keys = ["A", "treatment", "B", "control-group"];
        let rows = 5000;
        let variant: Vec<Option<&str>> =
            (0..rows).map(|i| if i % 37 == 5 { None } else { Some(keys[(i * 7 + i / 3) % 4]) }).collect();
        let conv: Vec<Option<bool>> = (0..rows).map(|i| if i % 29 == 1 { None } else { Some(i % 3 == 0) }).collect();
        let rev: Vec<Option<f64>> = (0..rows)
            .map(|i| {
                if i % 31 == 2 {
                    None
                } else if i % 4 == 0 {
                    Some(0.0)
                } else {
                    Some(i as f64 * 0.37)
                }
            })
            .collect();
        let seg_a = Bitmap::from_fn(rows, |i| i % 5 != 0);
        let seg_b = Bitmap::from_fn(rows, |i| (i / 100) % 2 == 0);
        for dict in [false, true] {
            let schema = Arc::new(Schema::new(vec![
                Field::new(
                    "variant",
                    if dict {
                        DataType::Dictionary(Box::new(DataType::Int16), Box::new(DataType::Utf8))
                    } else {
                        DataType::Utf8
                    },
                    true,
                ),
                Field::new("converted", DataType::Boolean, true),
                Field::new("revenue", DataType::Float64, true),
            ]));
            let mut batches = Vec::new();
            let mut at = 0;
            for len in [1000, 3001, 999] {
                let v = &variant[at..at + len];
                let vcol: ArrayRef = if dict {
                    Arc::new(v.iter().copied().collect::<DictionaryArray<Int16Type>>())
                } else {
                    Arc::new(StringArray::from(v.to_vec()))
                };
                let ccol: ArrayRef = Arc::new(BooleanArray::from(conv[at..at + len].to_vec()));
                let rcol: ArrayRef = Arc::new(Float64Array::from(rev[at..at + len].to_vec()));
                batches.push(RecordBatch::try_new(schema.clone(), vec![vcol, ccol, rcol]).unwrap());
                at += len;
            }
            let ds = Dataset::from_batches(schema, batches).unwrap();
            let cols = MetricColumns { variant: 0, conversion: Some(1), revenue: Some(2), covariate: None };
            let got = accumulate(&ds, &[&seg_a, &seg_b], cols, &[]).unwrap();
            for (s, seg) in [&seg_a, &seg_b].iter().enumerate() {
                let mut unassigned = 0;
                for (code, key) in got.variants.keys().iter().enumerate() {
                    let label = key.label();
                    let members: Vec<usize> =
                        (0..rows).filter(|&i| seg.get(i) && variant[i] == Some(label.as_str())).collect();
                    let cell = &got.cells[s][code];
                    assert_eq!(cell.n, members.len() as u64, "{dict} {s} {label}");
                    assert_eq!(cell.conversions, members.iter().filter(|&&i| conv[i] == Some(true)).count() as u64);
                    assert_eq!(cell.conversion_nulls, members.iter().filter(|&&i| conv[i].is_none()).count() as u64);
                    assert_eq!(cell.revenue_nulls, members.iter().filter(|&&i| rev[i].is_none()).count() as u64);
                    let sum: f64 = members.iter().filter_map(|&i| rev[i]).sum();
                    let sq: f64 = members.iter().filter_map(|&i| rev[i]).map(|y| y * y).sum();
                    assert!(
                        (cell.revenue_sum - sum).abs() <= 1e-9 * sum.abs().max(1.0),
                        "{} vs {sum}",
                        cell.revenue_sum
                    );
                    assert!((cell.revenue_sum_squares - sq).abs() <= 1e-9 * sq.abs().max(1.0));
                }
                unassigned += (0..rows).filter(|&i| seg.get(i) && variant[i].is_none()).count() as u64;
                assert_eq!(got.unassigned[s], unassigned);
                assert_eq!(got.variants.keys().len(), 4);
            }
        }
    }
}
