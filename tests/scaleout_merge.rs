//! Mergeable statistics, property-tested: random customers split into disjoint chunks (days, shards) →
//! `summarize` each → `Summary::merge` (and, the warehouse way, the chunks' query-shaped rows concatenated →
//! `summary_from_rows`) equals `summarize` of all rows — counts exactly, sums to 1e-12 of Σ|terms| — and
//! `analyze_summary` of the merge gives the report `analyze` gives on all rows.

use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int32Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use proptest::prelude::*;
use serde_json::{json, Value};

use segmetry::ingest::Dataset;
use segmetry::metrics::{analyze, analyze_summary, summarize, AnalysisOptions, Summary};
use segmetry::scaleout::{summary_from_rows, Plan, SummaryRow};
use segmetry::segments::SegmentCache;

#[derive(Debug, Clone)]
struct Customer {
    variant: Option<u8>,
    orders: Option<i32>,
    converted: Option<bool>,
    revenue: Option<f64>,
    pre: Option<f64>,
}

fn customer() -> impl Strategy<Value = Customer> {
    (
        prop::option::weighted(0.95, 0u8..3),
        prop::option::weighted(0.9, 0i32..10),
        prop::option::weighted(0.95, any::<bool>()),
        prop::option::weighted(0.9, (0u32..500_000).prop_map(|c| f64::from(c) / 100.0)),
        prop::option::weighted(0.9, (0u32..900_000).prop_map(|c| f64::from(c) / 100.0)),
    )
        .prop_map(|(variant, orders, converted, revenue, pre)| Customer {
            variant,
            orders,
            converted,
            revenue,
            pre,
        })
}

fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("variant", DataType::Utf8, true),
        Field::new("orders_count", DataType::Int32, true),
        Field::new("converted", DataType::Boolean, true),
        Field::new("revenue", DataType::Float64, true),
        Field::new("pre", DataType::Float64, true),
    ]))
}

fn batch(rows: &[Customer]) -> RecordBatch {
    let names = ["A", "B", "C"];
    let cols: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(rows.iter().map(|r| r.variant.map(|v| names[v as usize])).collect::<Vec<_>>())),
        Arc::new(Int32Array::from(rows.iter().map(|r| r.orders).collect::<Vec<_>>())),
        Arc::new(BooleanArray::from(rows.iter().map(|r| r.converted).collect::<Vec<_>>())),
        Arc::new(Float64Array::from(rows.iter().map(|r| r.revenue).collect::<Vec<_>>())),
        Arc::new(Float64Array::from(rows.iter().map(|r| r.pre).collect::<Vec<_>>())),
    ];
    RecordBatch::try_new(schema(), cols).unwrap()
}

fn options() -> AnalysisOptions {
    serde_json::from_value(json!({
        "segments": { "repeat": "orders_count >= 3", "few": "orders_count <= 4", "unknown": "orders_count IS NULL" },
        "variant": "variant", "conversion": "converted", "revenue": "revenue", "covariate": "pre",
        "referenceDate": "2026-11-01", "minSampleSize": 0,
    }))
    .unwrap()
}

/// Query-shaped rows of a summary (what the warehouse returns for one chunk).
fn rows_of(summary: &Summary) -> Vec<SummaryRow> {
    let mut rows = Vec::new();
    for (slot, s) in summary.segments.iter().enumerate() {
        let name = if slot == 0 { None } else { Some(s.name.clone()) };
        for (v, c) in summary.variants.iter().zip(&s.cells) {
            if c.n > 0 {
                rows.push(SummaryRow {
                    segment: name.clone(),
                    variant: Some(v.clone()),
                    cell: *c,
                    ..Default::default()
                });
            }
        }
        let mut r = SummaryRow { segment: name, variant: None, ..Default::default() };
        r.cell.n = s.unassigned;
        r.overlapping_rows = if slot == 0 { summary.overlapping_rows.unwrap() } else { 0 };
        rows.push(r);
    }
    rows
}

fn close(a: f64, b: f64, scale: f64) -> bool {
    (a - b).abs() <= 1e-12 * scale.max(1.0)
}

fn check_same(merged: &Summary, all: &Summary, rows: &[Customer]) -> Result<(), TestCaseError> {
    prop_assert_eq!(&merged.variants, &all.variants);
    prop_assert_eq!(
        (merged.rows, merged.unassigned, merged.overlapping_rows),
        (all.rows, all.unassigned, all.overlapping_rows)
    );
    // Σ|terms| bounds the rounding of any of the sums.
    let y: f64 = rows.iter().filter_map(|r| r.revenue).map(f64::abs).sum::<f64>();
    let x: f64 = rows.iter().filter_map(|r| r.pre).map(f64::abs).sum::<f64>();
    let (yy, xx, xy) = (y * y, x * x, x * y);
    for (m, a) in merged.segments.iter().zip(&all.segments) {
        prop_assert_eq!(&m.name, &a.name);
        prop_assert_eq!((m.size, m.unassigned), (a.size, a.unassigned));
        for (p, q) in m.cells.iter().zip(&a.cells) {
            prop_assert_eq!(
                (p.n, p.conversions, p.conversion_nulls, p.revenue_nulls, p.covariate_nulls),
                (q.n, q.conversions, q.conversion_nulls, q.revenue_nulls, q.covariate_nulls)
            );
            prop_assert!(close(p.revenue_sum, q.revenue_sum, y));
            prop_assert!(close(p.revenue_sum_squares, q.revenue_sum_squares, yy));
            prop_assert!(close(p.covariate_sum, q.covariate_sum, x));
            prop_assert!(close(p.covariate_sum_squares, q.covariate_sum_squares, xx));
            prop_assert!(close(p.revenue_covariate_sum, q.revenue_covariate_sum, xy));
        }
    }
    Ok(())
}

/// Reports equal: strings and counts exactly, floats to 1e-9 relative (statistics amplify the ~1e-16
/// differences of the sums, most near 0, e.g. an interval bound close to 0).
fn same_report(got: &Value, want: &Value, path: &str) -> Result<(), TestCaseError> {
    match (got, want) {
        (Value::Number(g), Value::Number(w)) => {
            let (g, w) = (g.as_f64().unwrap(), w.as_f64().unwrap());
            prop_assert!((g - w).abs() <= 1e-9 * w.abs().max(1e-3), "{}: {} vs {}", path, g, w);
        }
        (Value::Object(g), Value::Object(w)) => {
            prop_assert_eq!(g.keys().collect::<Vec<_>>(), w.keys().collect::<Vec<_>>(), "{}", path);
            for (k, v) in w {
                same_report(&g[k], v, &format!("{path}.{k}"))?;
            }
        }
        (Value::Array(g), Value::Array(w)) => {
            prop_assert_eq!(g.len(), w.len(), "{}", path);
            for (i, (a, b)) in g.iter().zip(w).enumerate() {
                same_report(a, b, &format!("{path}[{i}]"))?;
            }
        }
        // Warning messages print numbers (p-values to 3 digits) and may differ in the last printed digit only
        // when the statistics do; compare codes, segments and variants of warnings exactly instead.
        (Value::String(_), Value::String(_)) if path.ends_with(".message") => {}
        _ => prop_assert_eq!(got, want, "{}", path),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn chunks_merge_exactly(rows in prop::collection::vec(customer(), 1..600), cuts in prop::collection::vec(0usize..600, 0..5)) {
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (rows.len() + 1)).collect();
        cuts.push(0);
        cuts.push(rows.len());
        cuts.sort_unstable();
        cuts.dedup();
        let o = options();
        let all_ds = Dataset::from_batches(schema(), vec![batch(&rows)]).unwrap();
        let all = summarize(&all_ds, &mut SegmentCache::default(), &o).unwrap();
        let mut merged: Option<Summary> = None;
        let mut concatenated = Vec::new();
        for w in cuts.windows(2) {
            let chunk = Dataset::from_batches(schema(), vec![batch(&rows[w[0]..w[1]])]).unwrap();
            let s = summarize(&chunk, &mut SegmentCache::default(), &o).unwrap();
            concatenated.extend(rows_of(&s));
            merged = Some(match merged { None => s, Some(m) => m.merge(&s).unwrap() });
        }
        let merged = merged.unwrap();
        check_same(&merged, &all, &rows)?;
        let plan = Plan::new(Some(&schema()), &o).unwrap();
        let from_rows = summary_from_rows(&concatenated, &plan).unwrap();
        check_same(&from_rows, &all, &rows)?;

        let want = serde_json::to_value(analyze(&all_ds, &mut SegmentCache::default(), &o).unwrap()).unwrap();
        let got = serde_json::to_value(analyze_summary(&merged, &o).unwrap()).unwrap();
        same_report(&got, &want, "merged")?;
        let got = serde_json::to_value(analyze_summary(&from_rows, &o).unwrap()).unwrap();
        same_report(&got, &want, "rows")?;
    }
}
