//! Metrics: conversion and revenue per segment × A/B variant, with trustworthy statistics.
//!
//! ```
//! # use std::sync::Arc;
//! # use arrow_array::{BooleanArray, Float64Array, Int32Array, StringArray, RecordBatch};
//! # use arrow_schema::{Schema, Field, DataType};
//! use segmetry::metrics::{analyze, AnalysisOptions, SegmentSpec};
//! # let schema = Arc::new(Schema::new(vec![
//! #     Field::new("variant", DataType::Utf8, true), Field::new("orders_count", DataType::Int32, true),
//! #     Field::new("converted", DataType::Boolean, true), Field::new("revenue", DataType::Float64, true)]));
//! # let batch = RecordBatch::try_new(schema.clone(), vec![
//! #     Arc::new(StringArray::from(vec!["A", "B", "A", "B", "A", "B"])),
//! #     Arc::new(Int32Array::from(vec![1, 5, 3, 4, 0, 7])),
//! #     Arc::new(BooleanArray::from(vec![true, false, false, true, false, true])),
//! #     Arc::new(Float64Array::from(vec![10.0, 0.0, 0.0, 12.5, 0.0, 30.0]))]).unwrap();
//! # let ds = segmetry::ingest::Dataset::from_batches(schema, vec![batch]).unwrap();
//! let options = AnalysisOptions {
//!     segments: vec![("repeat".into(), SegmentSpec::Rule("orders_count >= 3".into()))],
//!     control: Some("A".into()),
//!     reference_date: Some("2026-11-01".into()),
//!     ..Default::default()
//! };
//! let mut cache = segmetry::segments::SegmentCache::default();
//! let report = analyze(&ds, &mut cache, &options)?;
//! assert_eq!(report.segments[0].name, "All customers");
//! assert_eq!(report.segments[1].size, Some(4.0));
//! assert_eq!(report.segments[1].variants[1].conversions, Some(2.0));
//! # Ok::<(), segmetry::Error>(())
//! ```
//!
//! Pipeline: [`options`] → segment bitmaps (rules through the [`SegmentCache`], so appends are incremental;
//! built-ins from [`crate::segments::builtin`]) → [`accumulate`] (one pass: counts and compensated sums per
//! segment × variant, the [`Summary`]) → [`report`] ([`analyze_summary`]: every statistic from [`crate::stats`]).
//! [`analyze_summary`] takes only the aggregates, so the same report can be made from sums a SQL engine computed.

pub mod accumulate;
mod cuped;
pub mod metric_accumulate;
pub mod metric_report;
pub mod metric_spec;
pub mod options;
pub mod report;
pub mod summary;
pub mod variants;

pub use metric_spec::{MetricInfo, MetricRole, MetricSource, MetricSpec, MetricType, ResolvedMetric};
pub use options::{
    options_error, AnalysisOptions, BuiltinSpec, Correction, ExpectedWeights, SegmentSpec, ALL_CUSTOMERS,
};
pub use report::{
    analyze_summary, Comparison, CorrectionReport, Cuped, HeterogeneityReport, HeterogeneityTest, Report,
    SegmentReport, VariantReport, Warning, WarningCode,
};
pub use summary::{CellSummary, SegmentSummary, Summary};

use crate::error::{Error, Result};
use crate::ingest::Dataset;
use crate::messages::{in_context, nested};
use crate::segments::builtin::{self, BuiltinSegment};
use crate::segments::links::Link;
use crate::segments::{Bitmap, Dialect, Rule, RuleOptions, SegmentCache};
use accumulate::{accumulate, check_metric_type, MetricColumns};
use variants::check_variant_type;

/// Summarize, then analyze: the report for `dataset` (see `docs/analysis.md`).
pub fn analyze(dataset: &Dataset, cache: &mut SegmentCache, options: &AnalysisOptions) -> Result<Report> {
    analyze_linked(dataset, &[], cache, options)
}

/// [`analyze`] with tables linked to `dataset`, so segment rules may aggregate over them
/// (`COUNT(orders WHERE "Created at" >= -90d) >= 2`) exactly as `ds.segment` does.
pub fn analyze_linked(
    dataset: &Dataset,
    links: &[Link],
    cache: &mut SegmentCache,
    options: &AnalysisOptions,
) -> Result<Report> {
    let summary = summarize_linked(dataset, links, cache, options)?;
    analyze_summary(&summary, options)
}

fn metric_column(dataset: &Dataset, option: &str, column: &str, defaulted: bool) -> Result<usize> {
    let index = dataset.column_index(column).map_err(|e| {
        if defaulted {
            in_context(e, "column_defaulted", &[option, column])
        } else {
            in_context(e, "in_option", &[option])
        }
    })?;
    Ok(index)
}

struct Segment {
    summary: SegmentSummary,
    bitmap: Bitmap,
}

/// The sufficient statistics of every segment × variant, in one pass over the data.
pub fn summarize(dataset: &Dataset, cache: &mut SegmentCache, options: &AnalysisOptions) -> Result<Summary> {
    summarize_linked(dataset, &[], cache, options)
}

/// [`summarize`] with linked tables for the segment rules (see [`analyze_linked`]).
pub fn summarize_linked(
    dataset: &Dataset,
    links: &[Link],
    cache: &mut SegmentCache,
    options: &AnalysisOptions,
) -> Result<Summary> {
    options.validate()?;
    let defaults = AnalysisOptions::default();
    let variant = metric_column(dataset, "variant", &options.variant, options.variant == defaults.variant)?;
    check_variant_type(&options.variant, dataset.data_type(variant))?;
    let column = |option: &str, name: &Option<String>, default: &Option<String>| -> Result<Option<usize>> {
        match name {
            None => Ok(None),
            Some(n) => {
                let i = metric_column(dataset, option, n, name == default)?;
                check_metric_type(option, n, dataset.data_type(i))?;
                Ok(Some(i))
            }
        }
    };
    let conversion = column("conversion", &options.conversion, &defaults.conversion)?;
    let revenue = column("revenue", &options.revenue, &defaults.revenue)?;
    let covariate = column("covariate", &options.covariate, &None)?;
    // Checked before any segment is evaluated, so a typo in a metric fails fast.
    let metrics = metric_spec::resolve_metrics(dataset, &options.metrics)?;
    if covariate.is_some() && revenue.is_none() {
        return Err(Error::invalid_argument("covariate", nested("covariate_needs_revenue", &[])));
    }

    let segments = segment_bitmaps(dataset, links, cache, options)?;
    let bitmaps: Vec<&Bitmap> = segments.iter().map(|s| &s.bitmap).collect();
    let acc = accumulate(dataset, &bitmaps, MetricColumns { variant, conversion, revenue, covariate }, &metrics)?;

    // First-seen codes → sorted order.
    let rank = acc.variants.sorted_order();
    let mut labels = vec![String::new(); rank.len()];
    for (code, key) in acc.variants.keys().iter().enumerate() {
        labels[rank[code]] = key.label();
    }
    let overlapping_rows = overlapping(segments.iter().filter(|s| s.summary.kind != "all").map(|s| &s.bitmap));
    let mut out = Vec::with_capacity(segments.len());
    for (((seg, cells), unassigned), metric_cells) in
        segments.into_iter().zip(acc.cells).zip(acc.unassigned).zip(acc.metric_cells)
    {
        let mut sorted = vec![CellSummary::default(); rank.len()];
        for (code, cell) in cells.into_iter().enumerate() {
            sorted[rank[code]] = cell;
        }
        // Without named metrics the field stays empty, as in summaries made before metrics existed.
        let mut sorted_metrics = vec![Vec::new(); if metrics.is_empty() { 0 } else { rank.len() }];
        for (code, cells) in metric_cells.into_iter().enumerate().filter(|_| !metrics.is_empty()) {
            sorted_metrics[rank[code]] = cells;
        }
        out.push(SegmentSummary {
            size: seg.bitmap.count() as u64,
            unassigned,
            cells: sorted,
            metric_cells: sorted_metrics,
            ..seg.summary
        });
    }
    Ok(Summary {
        variants: labels,
        segments: out,
        rows: dataset.num_rows() as u64,
        unassigned: count_null_variants(dataset, variant),
        has_conversion: conversion.is_some(),
        has_revenue: revenue.is_some(),
        has_covariate: covariate.is_some(),
        overlapping_rows: Some(overlapping_rows),
        metrics: metrics.iter().map(ResolvedMetric::info).collect(),
    })
}

fn count_null_variants(dataset: &Dataset, variant: usize) -> u64 {
    use arrow_array::Array;
    dataset.column_chunks(variant).map(|a| a.logical_null_count() as u64).sum()
}

/// Rows in two or more of the bitmaps.
fn overlapping<'a>(bitmaps: impl Iterator<Item = &'a Bitmap>) -> u64 {
    let mut once: Option<Bitmap> = None;
    let mut twice: Option<Bitmap> = None;
    for b in bitmaps {
        match (&mut once, &mut twice) {
            (None, _) => once = Some(b.clone()),
            (Some(o), t) => {
                let mut both = o.clone();
                both.and_assign(b);
                match t {
                    Some(t) => t.or_assign(&both),
                    None => *t = Some(both),
                }
                o.or_assign(b);
            }
        }
    }
    twice.map_or(0, |t| t.count() as u64)
}

fn segment_bitmaps(
    dataset: &Dataset,
    links: &[Link],
    cache: &mut SegmentCache,
    options: &AnalysisOptions,
) -> Result<Vec<Segment>> {
    let n = dataset.num_rows();
    let mut out: Vec<Option<Segment>> = Vec::new();
    if options.include_all {
        out.push(Some(Segment { summary: SegmentSummary::all_customers(), bitmap: Bitmap::ones(n) }));
    }
    // Rules: parsed here, evaluated together through the cache (one pass; appended batches only).
    let has_rules = options.segments.iter().any(|(_, s)| matches!(s, SegmentSpec::Rule(_)));
    let rule_options =
        if has_rules { Some(RuleOptions::from_reference_date(options.reference_date.as_deref())?) } else { None };
    let mut rules: Vec<(usize, Rule)> = Vec::new();
    for (name, spec) in &options.segments {
        match spec {
            SegmentSpec::Rule(text) => {
                let ro = rule_options.as_ref().ok_or_else(|| Error::invalid_argument("referenceDate", "missing"))?;
                let rule =
                    Rule::parse_linked(text, dataset, links, ro).map_err(|e| in_context(e, "in_segment", &[name]))?;
                rules.push((out.len(), rule));
                out.push(None);
            }
            SegmentSpec::Builtin(b) => {
                for g in builtin_segments(dataset, b, options.reference_date.as_deref())? {
                    out.push(Some(Segment { summary: SegmentSummary::builtin_group(name, &g), bitmap: g.members }));
                }
            }
        }
    }
    let refs: Vec<&Rule> = rules.iter().map(|(_, r)| r).collect();
    let bitmaps = if refs.is_empty() { Vec::new() } else { cache.evaluate(dataset, &refs)? };
    for (((slot, rule), bitmap), (name, _)) in
        rules.iter().zip(bitmaps).zip(options.segments.iter().filter(|(_, s)| matches!(s, SegmentSpec::Rule(_))))
    {
        out[*slot] = Some(Segment {
            summary: SegmentSummary {
                name: name.clone(),
                kind: "rule".into(),
                rule: Some(rule.canonical().to_string()),
                sql: Some(rule.to_sql(Dialect::DuckDb)),
                ..Default::default()
            },
            bitmap,
        });
    }
    let mut names = std::collections::HashSet::new();
    let segments: Vec<Segment> = out.into_iter().flatten().collect();
    for s in &segments {
        if !names.insert(s.summary.name.as_str()) {
            return Err(Error::invalid_argument("segments", nested("duplicate_segment", &[&s.summary.name])));
        }
    }
    Ok(segments)
}

/// The groups of a built-in segmentation. The analysis's `referenceDate` applies unless the built-in sets its own,
/// so the groups listed and the report count recency from the same day.
pub fn builtin_segments(
    dataset: &Dataset,
    spec: &BuiltinSpec,
    reference_date: Option<&str>,
) -> Result<Vec<BuiltinSegment>> {
    let context = |e: Error| in_context(e, "in_builtin", &[spec.kind()]);
    let dated = |own: &Option<String>| own.clone().or_else(|| reference_date.map(str::to_string));
    match spec {
        BuiltinSpec::Rfm(o) => {
            let o = builtin::RfmOptions { reference_date: dated(&o.reference_date), ..o.clone() };
            builtin::rfm(dataset, &o).map(|r| r.segments).map_err(context)
        }
        BuiltinSpec::Lifecycle(o) => {
            let o = builtin::LifecycleOptions { reference_date: dated(&o.reference_date), ..o.clone() };
            builtin::lifecycle(dataset, &o).map_err(context)
        }
        BuiltinSpec::Clusters(o) => builtin::clusters(dataset, o).map(|r| r.segments).map_err(context),
        BuiltinSpec::SpendTier(o) => builtin::spend_tier(dataset, o).map_err(context),
    }
}
