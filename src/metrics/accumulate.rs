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
//!
//! The per-row loops (codes, decoding, the word kernel) are in segmetry-kernels' `accumulate`, compiled for
//! speed; this module drives them and turns their answers into errors and cells.

use arrow_array::cast::AsArray;
use arrow_array::types::ArrowDictionaryKeyType;
use arrow_array::types::*;
use arrow_array::{Array, ArrayRef, ArrowPrimitiveType, GenericStringArray, OffsetSizeTrait};
use arrow_buffer::{ArrowNativeType, NullBuffer};
use arrow_schema::DataType;
use segmetry_kernels::accumulate::{
    bools_into, conversion_words, decimal_into, nonzero_words, variant_words, Acc, Chunk, ChunkBits, KnownText, ToF64,
    STRIDE, UNSEEN_CODE, WORDS,
};
pub use segmetry_kernels::accumulate::{CompensatedSum, CHUNK};
use segmetry_kernels::text::{DictKey, Offset};

use super::metric_accumulate::{MetricAccumulator, MetricCell};
use super::metric_spec::ResolvedMetric;
use super::summary::CellSummary;
use super::variants::{VariantReader, VariantSet, NULL_CODE};
use crate::error::{Error, ErrorCode, Result};
use crate::ingest::{type_name, value_kind, Dataset, ValueKind};
use crate::messages::{nested, Message};
use crate::segments::Bitmap;

/// The cell of an accumulator, its partial sums flushed.
fn finish(acc: &Acc) -> CellSummary {
    CellSummary {
        n: acc.n,
        conversions: acc.conversions,
        conversion_nulls: acc.conversion_nulls,
        revenue_sum: acc.y.value(),
        revenue_sum_squares: acc.yy.value(),
        revenue_nulls: acc.revenue_nulls,
        covariate_sum: acc.x.value(),
        covariate_sum_squares: acc.xx.value(),
        revenue_covariate_sum: acc.xy.value(),
        covariate_nulls: acc.covariate_nulls,
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
            variant_words(&codes[..m], live, &mut vbits);
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
            chunk.run((conv_col.is_some(), rev_col.is_some(), cov_col.is_some()), &words, &mut accs, live);
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
    let cells = accs.iter().map(|a| a[..k].iter().map(finish).collect()).collect();
    let unassigned = accs.iter().map(|a| a[NULL_CODE as usize].n).collect();
    let metric_cells = named.finish(k);
    Ok(Accumulated { variants, cells, unassigned, metric_cells })
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

fn dict_codes<K>(
    array: &ArrayRef,
    reader: &mut VariantReader<'_>,
    set: &mut VariantSet,
    table: &mut [u8],
    start: usize,
    out: &mut [u8],
) -> Result<()>
where
    K: ArrowDictionaryKeyType,
    K::Native: DictKey,
{
    let d = array.as_dictionary::<K>();
    if d.keys().nulls().is_some() {
        return reader.fill(set, start, out);
    }
    let keys = &d.keys().values()[start..start + out.len()];
    let mut i = 0;
    while i < out.len() {
        i += K::Native::known_codes(&keys[i..], table, &mut out[i..]);
        let Some(o) = out.get_mut(i) else { break };
        // A key met for the first time gets its code from the reader; a key out of range: the reader reports it.
        reader.fill(set, start + i, std::slice::from_mut(o))?;
        if let Some(t) = table.get_mut(keys[i].as_usize()) {
            *t = *o;
        }
        i += 1;
    }
    Ok(())
}

fn text_codes<O: OffsetSizeTrait + Offset>(
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
    let mut i = 0;
    while i < out.len() {
        i += O::known_codes(offsets, data, nulls, known, start + i, &mut out[i..]);
        let Some(o) = out.get_mut(i) else { break };
        // A key not met yet: the reader gives its code (hashing), and the next rows compare against it too.
        let r = start + i;
        let (lo, hi) = (offsets[r].as_usize(), offsets[r + 1].as_usize());
        reader.fill(set, r, std::slice::from_mut(o))?;
        known.add(data, lo, hi, *o);
        i += 1;
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
        fn cast<T: ToF64>(src: &[T], start: usize, out: &mut [f64]) {
            T::cast_into(&src[start..start + out.len()], out);
        }
        match &self.values {
            Values::F64(v) => out.copy_from_slice(&v[start..start + out.len()]),
            Values::F32(v) => cast(v, start, out),
            Values::I8(v) => cast(v, start, out),
            Values::I16(v) => cast(v, start, out),
            Values::I32(v) => cast(v, start, out),
            Values::I64(v) => cast(v, start, out),
            Values::U8(v) => cast(v, start, out),
            Values::U16(v) => cast(v, start, out),
            Values::U32(v) => cast(v, start, out),
            Values::U64(v) => cast(v, start, out),
            Values::Decimal(v, scale) => decimal_into(&v[start..start + out.len()], *scale, out),
            Values::Bool(b) => bools_into(b.values(), start, out),
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
        if !nonzero_words(values, valid, nz) {
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
                if let Err(i) = conversion_words(&buf[..m], &valid, &mut bits.ct) {
                    let (value, row) = (buf[i].to_string(), (first_row + i).to_string());
                    let message = Message::new("conversion_not_01", [column.to_string(), value, row]);
                    return Err(message.into_error(ErrorCode::TypeMismatch).with_subject(column));
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
