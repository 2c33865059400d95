//! Sufficient statistics of the named `metrics`, per segment × variant, gathered inside the kernel's one pass
//! ([`super::accumulate`]): for each chunk the variant codes are already decoded, so each metric column is decoded
//! once per chunk and each member row adds to its cell.
//!
//! Every metric type reduces to sums of one value `x` per unit (and `y` for ratios): a proportion's `x` is 0/1, a
//! mean's the value, an NPS's +1 (score 9–10), −1 (0–6) or 0 (7–8), so mean(x) is the NPS and its variance is
//! p₊ + p₋ − (p₊ − p₋)². Ratios keep Σx, Σy, Σx², Σy², Σxy for the delta method.

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;
use serde::{Deserialize, Serialize};

use segmetry_kernels::metrics::{MetricChunk, MetricSums};

use super::accumulate::NumColumn;
use super::metric_spec::{MetricType, ResolvedMetric};
use crate::error::{Error, ErrorCode, Result};

/// One metric's sums in one segment × variant cell. Units whose value (either value, for ratios) is null are
/// left out and counted in `nulls`.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MetricCell {
    /// Units with a value.
    pub n: u64,
    /// Units whose value is null.
    pub nulls: u64,
    /// Σx (conversions for proportions; promoters − detractors for NPS; the numerator for ratios).
    pub sum: f64,
    /// Σx².
    pub sum_squares: f64,
    /// Σy, the denominator (ratios only).
    pub denominator_sum: f64,
    /// Σy² (ratios only).
    pub denominator_sum_squares: f64,
    /// Σxy (ratios only).
    pub cross_sum: f64,
    /// Σc of the CUPED covariate c over the units with a value (a null c counts as 0).
    pub covariate_sum: f64,
    /// Σc².
    pub covariate_sum_squares: f64,
    /// Σxc.
    pub value_covariate_sum: f64,
}

impl MetricCell {
    /// Add another cell's counts and sums (cells of disjoint row sets).
    pub fn add(&mut self, other: &MetricCell) {
        self.n += other.n;
        self.nulls += other.nulls;
        self.sum += other.sum;
        self.sum_squares += other.sum_squares;
        self.denominator_sum += other.denominator_sum;
        self.denominator_sum_squares += other.denominator_sum_squares;
        self.cross_sum += other.cross_sum;
        self.covariate_sum += other.covariate_sum;
        self.covariate_sum_squares += other.covariate_sum_squares;
        self.value_covariate_sum += other.value_covariate_sum;
    }
}

/// The cell of one metric's sums.
fn finish(sums: &MetricSums) -> MetricCell {
    MetricCell {
        n: sums.n,
        nulls: sums.nulls,
        sum: sums.x.value(),
        sum_squares: sums.xx.value(),
        denominator_sum: sums.y.value(),
        denominator_sum_squares: sums.yy.value(),
        cross_sum: sums.xy.value(),
        covariate_sum: sums.c.value(),
        covariate_sum_squares: sums.cc.value(),
        value_covariate_sum: sums.xc.value(),
    }
}

/// The accumulator: `sums[segment][code][metric]`.
pub(super) struct MetricAccumulator<'m> {
    metrics: &'m [ResolvedMetric],
    sums: Vec<Vec<Vec<MetricSums>>>,
    x: Vec<f64>,
    y: Vec<f64>,
    /// The CUPED covariate (null = 0).
    c: Vec<f64>,
    valid: Vec<bool>,
}

impl<'m> MetricAccumulator<'m> {
    /// For `segments` segments and variant codes `0..codes` (the null code included).
    pub(super) fn new(metrics: &'m [ResolvedMetric], segments: usize, codes: usize) -> Self {
        let cell = vec![MetricSums::default(); metrics.len()];
        MetricAccumulator {
            metrics,
            sums: vec![vec![cell; codes]; segments],
            x: Vec::new(),
            y: Vec::new(),
            c: Vec::new(),
            valid: Vec::new(),
        }
    }

    /// Add rows `start..start + codes.len()` of `batch`, whose global row index starts at `global`.
    pub(super) fn chunk(
        &mut self,
        batch: &RecordBatch,
        start: usize,
        global: usize,
        codes: &[u8],
        segments: &[&[u64]],
    ) -> Result<()> {
        let m = codes.len();
        self.x.resize(m, 0.0);
        self.y.resize(m, 0.0);
        self.c.resize(m, 0.0);
        self.valid.resize(m, false);
        for (k, metric) in self.metrics.iter().enumerate() {
            self.valid[..m].fill(true);
            decode(batch.column(metric.column), metric, start, &mut self.x[..m], &mut self.valid[..m])?;
            if let Some(d) = metric.denominator {
                decode(batch.column(d), metric, start, &mut self.y[..m], &mut self.valid[..m])?;
            }
            if let Some(c) = metric.covariate {
                covariate(batch.column(c), start, &mut self.c[..m]).map_err(|mut e| {
                    e.message = format!("metric `{}`: {}", metric.name, e.message);
                    e
                })?;
            }
            let rows = MetricChunk {
                global,
                codes,
                valid: &self.valid[..m],
                x: &self.x[..m],
                y: &self.y[..m],
                c: &self.c[..m],
                ratio: metric.denominator.is_some(),
                cuped: metric.covariate.is_some(),
            };
            for (words, cells) in segments.iter().zip(self.sums.iter_mut()) {
                rows.add(words, cells, k);
            }
        }
        Ok(())
    }

    /// `cells[segment][code][metric]` for codes `0..codes`.
    pub(super) fn finish(&self, codes: usize) -> Vec<Vec<Vec<MetricCell>>> {
        self.sums.iter().map(|seg| seg[..codes].iter().map(|c| c.iter().map(finish).collect()).collect()).collect()
    }
}

/// A CUPED covariate column as numbers, a null as 0 (as the `covariate` option reads it).
fn covariate(array: &ArrayRef, start: usize, out: &mut [f64]) -> Result<()> {
    NumColumn::new(array).fill(start, out)?;
    if let Some(nulls) = array.logical_nulls() {
        for (i, x) in out.iter_mut().enumerate() {
            if !nulls.is_valid(start + i) {
                *x = 0.0;
            }
        }
    }
    Ok(())
}

/// Decode one metric column into `out` (as the metric type reads it), clearing `valid` for nulls.
fn decode(array: &ArrayRef, metric: &ResolvedMetric, start: usize, out: &mut [f64], valid: &mut [bool]) -> Result<()> {
    if let Some(nulls) = array.logical_nulls() {
        for (i, v) in valid.iter_mut().enumerate() {
            *v &= nulls.is_valid(start + i);
        }
    }
    match array.data_type() {
        DataType::Utf8 => yes_no(array.as_string::<i32>().iter().skip(start), metric, out, valid)?,
        DataType::LargeUtf8 => yes_no(array.as_string::<i64>().iter().skip(start), metric, out, valid)?,
        DataType::Utf8View => yes_no(array.as_string_view().iter().skip(start), metric, out, valid)?,
        DataType::Dictionary(_, _) => {
            return Err(Error::new(
                ErrorCode::TypeMismatch,
                format!(
                    "metric `{}`: dictionary-encoded yes/no text is not supported yet; use plain text",
                    metric.name
                ),
            ))
        }
        _ => NumColumn::new(array).fill(start, out).map_err(|mut e| {
            e.message = format!("metric `{}`: {}", metric.name, e.message);
            e
        })?,
    }
    for (x, &v) in out.iter_mut().zip(valid.iter()) {
        if !v {
            *x = 0.0;
            continue;
        }
        match metric.metric_type {
            MetricType::Proportion if *x != 0.0 && *x != 1.0 => {
                return Err(Error::new(
                    ErrorCode::TypeMismatch,
                    format!(
                        "metric `{}` is a proportion, but its column holds {x}; use 0/1 values or `type: 'mean'`",
                        metric.name
                    ),
                ))
            }
            MetricType::Nps if !(0.0..=10.0).contains(x) => {
                return Err(Error::new(
                    ErrorCode::TypeMismatch,
                    format!("metric `{}` is an NPS, whose scores lie in 0–10; its column holds {x}", metric.name),
                ))
            }
            MetricType::Nps => *x = nps_point(*x),
            _ => {}
        }
    }
    Ok(())
}

/// An NPS answer as its contribution: promoter (9–10) +1, detractor (0–6) −1, passive 0.
pub fn nps_point(score: f64) -> f64 {
    if score >= 9.0 {
        1.0
    } else if score <= 6.0 {
        -1.0
    } else {
        0.0
    }
}

/// Yes/no text as 1/0 (case and surrounding spaces ignored; also true/false, 1/0); anything else is refused.
fn yes_no<'a>(
    values: impl Iterator<Item = Option<&'a str>>,
    metric: &ResolvedMetric,
    out: &mut [f64],
    valid: &mut [bool],
) -> Result<()> {
    for ((o, v), value) in out.iter_mut().zip(valid.iter_mut()).zip(values) {
        let Some(text) = value else {
            *v = false;
            continue;
        };
        *o = match text.trim().to_lowercase().as_str() {
            "yes" | "y" | "true" | "1" => 1.0,
            "no" | "n" | "false" | "0" => 0.0,
            "" => {
                *v = false;
                0.0
            }
            _ => {
                return Err(Error::new(
                    ErrorCode::TypeMismatch,
                    format!(
                        "metric `{}` reads text as yes/no, but meets `{text}`; use yes/no, true/false or 1/0",
                        metric.name
                    ),
                ))
            }
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{BooleanArray, Float64Array, Int32Array, RecordBatch, StringArray};
    use arrow_schema::{DataType, Field, Schema};

    use super::MetricCell;
    use crate::ingest::Dataset;
    use crate::metrics::{summarize, AnalysisOptions};
    use crate::segments::SegmentCache;

    /// Two batches (so chunks start off a word boundary), a rule segment, nulls: each cell equals sums written
    /// out by hand over the rows.
    #[test]
    fn sums_every_metric_per_segment_and_variant() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("variant", DataType::Utf8, true),
            Field::new("Opened", DataType::Boolean, true),
            Field::new("Clicked", DataType::Int32, true),
            Field::new("Score", DataType::Float64, true),
            Field::new("Unsub", DataType::Utf8, true),
        ]));
        let batch = |v: Vec<&str>, o: Vec<Option<bool>>, c: Vec<Option<i32>>, s: Vec<Option<f64>>, u: Vec<&str>| {
            let cols: Vec<arrow_array::ArrayRef> = vec![
                Arc::new(StringArray::from(v)),
                Arc::new(BooleanArray::from(o)),
                Arc::new(Int32Array::from(c)),
                Arc::new(Float64Array::from(s)),
                Arc::new(StringArray::from(u)),
            ];
            RecordBatch::try_new(schema.clone(), cols).unwrap()
        };
        let b1 = batch(
            vec!["B", "A", "B"],
            vec![Some(true), Some(true), None],
            vec![Some(1), Some(0), Some(1)],
            vec![Some(10.0), Some(3.0), Some(8.0)],
            vec!["no", "Yes ", "no"],
        );
        let b2 = batch(
            vec!["A", "B", "A"],
            vec![Some(false), Some(true), Some(true)],
            vec![Some(0), Some(0), Some(1)],
            vec![Some(9.0), None, Some(6.0)],
            vec!["NO", "yes", ""],
        );
        let ds = Dataset::from_batches(schema, vec![b1, b2]).unwrap();
        let options: AnalysisOptions = serde_json::from_str(
            r#"{"control": "A", "conversion": null, "revenue": null, "referenceDate": "2026-11-01",
                "segments": {"opened": "Opened = TRUE"},
                "metrics": {"cto": {"type": "ratio", "numerator": "Clicked", "denominator": "Opened"},
                            "nps": {"column": "Score", "type": "nps"}, "unsub": "Unsub"}}"#,
        )
        .unwrap();
        let summary = summarize(&ds, &mut SegmentCache::default(), &options).unwrap();
        let cell = |n, nulls, sum, sum_squares, y: f64, yy: f64, xy: f64| MetricCell {
            n,
            nulls,
            sum,
            sum_squares,
            denominator_sum: y,
            denominator_sum_squares: yy,
            cross_sum: xy,
            ..MetricCell::default()
        };
        // All customers, A = rows 2, 4, 6: opened 1,0,1; clicked 0,0,1; scores 3,9,6 → −1,+1,−1; unsub yes,no,"".
        let a = &summary.segments[0].metric_cells[0];
        assert_eq!(a[0], cell(3, 0, 1.0, 1.0, 2.0, 2.0, 1.0));
        assert_eq!(a[1], cell(3, 0, -1.0, 3.0, 0.0, 0.0, 0.0));
        assert_eq!(a[2], cell(2, 1, 1.0, 1.0, 0.0, 0.0, 0.0));
        // All customers, B = rows 1, 3, 5: opened 1,null,1; clicked 1,1,0; scores 10,8,null → +1,0; unsub no,no,yes.
        let b = &summary.segments[0].metric_cells[1];
        assert_eq!(b[0], cell(2, 1, 1.0, 1.0, 2.0, 2.0, 1.0));
        assert_eq!(b[1], cell(2, 1, 1.0, 1.0, 0.0, 0.0, 0.0));
        assert_eq!(b[2], cell(3, 0, 1.0, 1.0, 0.0, 0.0, 0.0));
        // Segment "opened", A = rows 2, 6.
        let a = &summary.segments[1].metric_cells[0];
        assert_eq!(a[1], cell(2, 0, -2.0, 2.0, 0.0, 0.0, 0.0));
        assert_eq!(a[2], cell(1, 1, 1.0, 1.0, 0.0, 0.0, 0.0));
    }
}
