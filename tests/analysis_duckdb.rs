//! The analysis against DuckDB truths and independent reference statistics
//! (`scripts/gen_analysis_fixtures.py` → `tests/fixtures/analysis/`), plus append, suppression, merge, built-ins
//! and error cases.

use std::fs;

use serde_json::{json, Value};

use segmetry::ingest::Dataset;
use segmetry::metrics::{
    analyze, analyze_summary, options_error, summarize, AnalysisOptions, Report, SegmentSpec, Summary, WarningCode,
};
use segmetry::segments::SegmentCache;
use segmetry::ErrorCode;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/analysis");

fn expected() -> Value {
    serde_json::from_str(&fs::read_to_string(format!("{DIR}/expected.json")).unwrap()).unwrap()
}

fn load(name: &str) -> Dataset {
    Dataset::from_ipc(fs::read(format!("{DIR}/{name}")).unwrap()).unwrap()
}

fn rules(e: &Value) -> Value {
    let mut m = serde_json::Map::new();
    for s in e["segments"].as_array().unwrap() {
        if let Some(rule) = s["rule"].as_str() {
            m.insert(s["name"].as_str().unwrap().to_string(), json!(rule));
        }
    }
    Value::Object(m)
}

fn options(extra: Value) -> AnalysisOptions {
    let e = expected();
    let mut o = json!({
        "segments": rules(&e), "variant": "variant", "control": "A", "conversion": "converted", "revenue": "revenue",
        "referenceDate": "2026-11-01", "difference": "absolute",
    });
    for (k, v) in extra.as_object().unwrap() {
        o[k] = v.clone();
    }
    serde_json::from_value(o).unwrap()
}

fn rel(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / b.abs().max(f64::MIN_POSITIVE)
    }
}

fn close(got: f64, want: f64, tol: f64, what: &str) {
    assert!(rel(got, want) <= tol, "{what}: got {got}, want {want} (rel err {:e})", rel(got, want));
}

fn run(ds: &Dataset, o: &AnalysisOptions) -> Report {
    analyze(ds, &mut SegmentCache::default(), o).unwrap()
}

fn cell<'a>(r: &'a Report, segment: &str, variant: &str) -> &'a segmetry::metrics::VariantReport {
    let s = r.segments.iter().find(|s| s.name == segment).unwrap();
    s.variants.iter().find(|v| v.variant == variant).unwrap()
}

#[test]
fn counts_and_sums_match_duckdb() {
    let e = expected();
    let ds = load("experiment.arrow");
    let o = options(json!({ "covariate": "pre_revenue" }));
    let summary = summarize(&ds, &mut SegmentCache::default(), &o).unwrap();
    assert_eq!(summary.variants, vec!["A", "B", "C"], "the unused dictionary value Z is no variant");
    assert_eq!(summary.rows, 20_000);
    assert_eq!(summary.unassigned, e["unassigned"].as_u64().unwrap());
    let mut worst_duckdb: f64 = 0.0;
    let mut worst_exact: f64 = 0.0;
    assert_eq!(summary.segments.len(), e["segments"].as_array().unwrap().len());
    for want in e["segments"].as_array().unwrap() {
        let seg = summary.segments.iter().find(|s| s.name == want["name"].as_str().unwrap()).unwrap();
        assert_eq!(seg.size, want["size"].as_u64().unwrap(), "{} size", seg.name);
        assert_eq!(seg.unassigned, want["unassigned"].as_u64().unwrap(), "{} unassigned", seg.name);
        for (i, v) in summary.variants.iter().enumerate() {
            let c = &seg.cells[i];
            let d = &want["duckdb"][v];
            let what = format!("{} / {v}", seg.name);
            for (got, key) in [
                (c.n, "n"),
                (c.conversions, "conversions"),
                (c.conversion_nulls, "conversion_nulls"),
                (c.revenue_nulls, "revenue_nulls"),
                (c.covariate_nulls, "covariate_nulls"),
            ] {
                assert_eq!(got as f64, d[key].as_f64().unwrap(), "{what} {key}");
            }
            for (got, key) in [
                (c.revenue_sum, "revenue_sum"),
                (c.revenue_sum_squares, "revenue_sum_squares"),
                (c.covariate_sum, "covariate_sum"),
                (c.covariate_sum_squares, "covariate_sum_squares"),
                (c.revenue_covariate_sum, "revenue_covariate_sum"),
            ] {
                let duck = d[key].as_f64().unwrap();
                let exact = want["exact"][v][key].as_f64().unwrap();
                close(got, duck, 1e-12, &format!("{what} {key} vs DuckDB"));
                close(got, exact, 1e-12, &format!("{what} {key} vs math.fsum"));
                worst_duckdb = worst_duckdb.max(rel(got, duck));
                worst_exact = worst_exact.max(rel(got, exact));
            }
        }
    }
    println!("largest relative difference of a sum: vs DuckDB {worst_duckdb:e}, vs exact (fsum) {worst_exact:e}");
    assert!(worst_exact <= 1e-15, "compensated sums should be within an ulp or so of the exact sum");
}

#[test]
fn every_column_type_gives_the_same_cells() {
    let ds = load("experiment.arrow");
    let base = summarize(&ds, &mut SegmentCache::default(), &options(json!({}))).unwrap();
    // Variant as int32 (1, 2, 3) and as plain utf8: the same cells, labels as text.
    let ints =
        summarize(&ds, &mut SegmentCache::default(), &options(json!({ "variant": "variant_int", "control": "1" })))
            .unwrap();
    assert_eq!(ints.variants, vec!["1", "2", "3"]);
    let text = summarize(&ds, &mut SegmentCache::default(), &options(json!({ "variant": "variant_text" }))).unwrap();
    assert_eq!(text.segments, base.segments);
    for (a, b) in ints.segments.iter().zip(&base.segments) {
        assert_eq!(a.cells, b.cells);
    }
    // Conversion as 0/1 int8 equals the bool column.
    let conv =
        summarize(&ds, &mut SegmentCache::default(), &options(json!({ "conversion": "converted_int" }))).unwrap();
    assert_eq!(conv.segments, base.segments);
    // Revenue as decimal(12, 2), int64 cents (×100) and float32.
    let dec = summarize(&ds, &mut SegmentCache::default(), &options(json!({ "revenue": "revenue_dec" }))).unwrap();
    let cents = summarize(&ds, &mut SegmentCache::default(), &options(json!({ "revenue": "revenue_cents" }))).unwrap();
    let f32s = summarize(&ds, &mut SegmentCache::default(), &options(json!({ "revenue": "revenue_f32" }))).unwrap();
    for (((b, d), c), f) in base.segments.iter().zip(&dec.segments).zip(&cents.segments).zip(&f32s.segments) {
        for i in 0..3 {
            let w = &b.cells[i];
            assert_eq!(d.cells[i].n, w.n);
            assert_eq!(d.cells[i].revenue_nulls, w.revenue_nulls);
            close(d.cells[i].revenue_sum, w.revenue_sum, 1e-14, "decimal sum");
            close(d.cells[i].revenue_sum_squares, w.revenue_sum_squares, 1e-14, "decimal sum of squares");
            close(c.cells[i].revenue_sum, 100.0 * w.revenue_sum, 1e-14, "cents sum");
            close(f.cells[i].revenue_sum, w.revenue_sum, 1e-6, "float32 sum");
        }
    }
}

#[test]
fn statistics_match_the_references() {
    let e = expected();
    let ds = load("experiment.arrow");
    let r = run(&ds, &options(json!({})));
    assert_eq!(r.variants, vec!["A", "B", "C"]);
    assert_eq!(r.control, "A");
    const TOL: f64 = 1e-9;
    for want in e["segments"].as_array().unwrap() {
        let name = want["name"].as_str().unwrap();
        let seg = r.segments.iter().find(|s| s.name == name).unwrap();
        let srm = seg.srm.as_ref().unwrap();
        close(srm.statistic, want["srm"]["statistic"].as_f64().unwrap(), TOL, &format!("{name} srm statistic"));
        close(srm.p_value, want["srm"]["pValue"].as_f64().unwrap(), TOL, &format!("{name} srm p"));
        for v in ["A", "B", "C"] {
            let c = cell(&r, name, v);
            let w = &want["variants"][v];
            let what = format!("{name}/{v}");
            let ci = c.conversion_interval.as_ref().unwrap();
            close(ci.lower, w["conversionInterval"]["lower"].as_f64().unwrap(), TOL, &format!("{what} wilson lower"));
            close(ci.upper, w["conversionInterval"]["upper"].as_f64().unwrap(), TOL, &format!("{what} wilson upper"));
            if v == "A" {
                assert!(c.conversion_vs_control.is_none() && c.revenue_vs_control.is_none());
                continue;
            }
            let conv = &c.conversion_vs_control.as_ref().unwrap().result;
            for (got, key) in [
                (conv.estimate, "estimate"),
                (conv.standard_error, "standardError"),
                (conv.p_value.unwrap(), "pValue"),
                (conv.lower, "lower"),
                (conv.upper, "upper"),
            ] {
                close(got, w["conversionVsControl"][key].as_f64().unwrap(), TOL, &format!("{what} conversion {key}"));
            }
            let rev = &c.revenue_vs_control.as_ref().unwrap().result;
            for (got, key) in [
                (rev.estimate, "estimate"),
                (rev.p_value.unwrap(), "pValue"),
                (rev.lower, "lower"),
                (rev.upper, "upper"),
            ] {
                close(got, w["revenueVsControl"][key].as_f64().unwrap(), TOL, &format!("{what} revenue Welch {key}"));
            }
        }
    }
    // Holm over the whole family (segments × treatments × metrics), statsmodels.
    let holm = e["holm"].as_array().unwrap();
    assert_eq!(holm.len(), 24);
    for h in holm {
        let c = cell(&r, h["segment"].as_str().unwrap(), h["variant"].as_str().unwrap());
        let cmp = if h["metric"] == "conversion" { &c.conversion_vs_control } else { &c.revenue_vs_control };
        close(cmp.as_ref().unwrap().adjusted_p_value.unwrap(), h["adjustedPValue"].as_f64().unwrap(), TOL, "holm");
    }
    // Cochran's Q over the user's segments.
    let h = &e["heterogeneity"];
    let t = r.heterogeneity.tests.iter().find(|t| t.variant == "B" && t.metric == "conversion").unwrap();
    assert_eq!(t.segments.len(), 5);
    assert!(!t.segments.iter().any(|s| s == "All customers"));
    close(t.result.q, h["q"].as_f64().unwrap(), TOL, "Q");
    close(t.result.p_value, h["pValue"].as_f64().unwrap(), TOL, "Q p");
    assert_eq!(t.result.i_squared, h["iSquared"].as_f64().unwrap());
    assert!(r.heterogeneity.caveat.contains("independent"));
    assert!(r.heterogeneity.overlapping_rows.unwrap() > 0.0);
}

#[test]
fn cuped_matches_the_formula() {
    let e = expected();
    let ds = load("experiment.arrow");
    let r = run(&ds, &options(json!({ "covariate": "pre_revenue" })));
    const TOL: f64 = 1e-9;
    for want in e["segments"].as_array().unwrap() {
        let name = want["name"].as_str().unwrap();
        let seg = r.segments.iter().find(|s| s.name == name).unwrap();
        let cu = seg.cuped.unwrap();
        close(cu.theta, want["cuped"]["theta"].as_f64().unwrap(), TOL, &format!("{name} theta"));
        close(cu.covariate_mean, want["cuped"]["covariateMean"].as_f64().unwrap(), TOL, &format!("{name} x mean"));
        assert!(cu.variance_reduction > 0.0 && cu.variance_reduction < 1.0);
        for v in ["A", "B", "C"] {
            let c = cell(&r, name, v);
            let w = &want["cuped"]["variants"][v];
            close(c.revenue_mean_adjusted.unwrap(), w["revenueMeanAdjusted"].as_f64().unwrap(), TOL, "adjusted mean");
            close(
                c.revenue_variance_adjusted.unwrap(),
                w["revenueVarianceAdjusted"].as_f64().unwrap(),
                TOL,
                "adjusted var",
            );
            if v != "A" {
                let cmp = c.revenue_vs_control.as_ref().unwrap();
                let rev = &cmp.result;
                for (got, key) in [
                    (cmp.cuped_theta.unwrap(), "cupedTheta"),
                    (rev.estimate, "estimate"),
                    (rev.standard_error, "standardError"),
                    (rev.p_value.unwrap(), "pValue"),
                    (rev.lower, "lower"),
                    (rev.upper, "upper"),
                ] {
                    close(got, w["revenueVsControl"][key].as_f64().unwrap(), TOL, &format!("{name}/{v} CUPED {key}"));
                }
            }
        }
    }
    // CUPED narrows the revenue interval compared with the unadjusted test.
    let plain = run(&ds, &options(json!({})));
    let width = |r: &Report| {
        let c = &cell(r, "All customers", "B").revenue_vs_control.as_ref().unwrap().result;
        c.upper - c.lower
    };
    assert!(width(&r) < width(&plain));
}

fn json_of(r: &Report) -> String {
    serde_json::to_string(r).unwrap()
}

#[test]
fn append_equals_full_recompute() {
    let mut ds = load("experiment.arrow");
    let mut cache = SegmentCache::default();
    let o = options(json!({ "covariate": "pre_revenue" }));
    let before = analyze(&ds, &mut cache, &o).unwrap();
    assert_eq!(before.rows, 20_000.0);
    ds.append_ipc(fs::read(format!("{DIR}/append.arrow")).unwrap()).unwrap();
    let after = analyze(&ds, &mut cache, &o).unwrap();
    assert_eq!(after.rows, 23_000.0);
    assert_eq!(after.segments[0].size, Some(23_000.0));
    // Full recompute: a fresh dataset over all batches and an empty cache.
    let fresh = Dataset::from_batches(ds.schema().clone(), ds.batches().to_vec()).unwrap();
    let full = analyze(&fresh, &mut SegmentCache::default(), &o).unwrap();
    assert_eq!(json_of(&after), json_of(&full));
    assert_ne!(json_of(&before), json_of(&after));
    // Merging the summaries of the two parts gives the same counts and (to rounding) sums.
    let first = summarize(&load("experiment.arrow"), &mut SegmentCache::default(), &o).unwrap();
    let second = summarize(&load("append.arrow"), &mut SegmentCache::default(), &o).unwrap();
    let merged = first.merge(&second).unwrap();
    let whole = summarize(&fresh, &mut SegmentCache::default(), &o).unwrap();
    assert_summaries_equal(&merged, &whole);
}

fn assert_summaries_equal(a: &Summary, b: &Summary) {
    assert_eq!(a.variants, b.variants);
    assert_eq!((a.rows, a.unassigned), (b.rows, b.unassigned));
    for (x, y) in a.segments.iter().zip(&b.segments) {
        assert_eq!((x.size, x.unassigned), (y.size, y.unassigned));
        for (c, d) in x.cells.iter().zip(&y.cells) {
            assert_eq!(
                (c.n, c.conversions, c.conversion_nulls, c.revenue_nulls),
                (d.n, d.conversions, d.conversion_nulls, d.revenue_nulls)
            );
            close(c.revenue_sum, d.revenue_sum, 1e-14, "merged sum");
            close(c.revenue_sum_squares, d.revenue_sum_squares, 1e-14, "merged sum of squares");
            close(c.revenue_covariate_sum, d.revenue_covariate_sum, 1e-14, "merged cross sum");
        }
    }
}

#[test]
fn summary_round_trips_through_json_and_analyzes_alone() {
    let ds = load("experiment.arrow");
    let o = options(json!({ "covariate": "pre_revenue" }));
    let summary = summarize(&ds, &mut SegmentCache::default(), &o).unwrap();
    let text = serde_json::to_string(&summary).unwrap();
    // (serde_json's default float parsing is not always correctly rounded, hence the tolerance.)
    let back: Summary = serde_json::from_str(&text).unwrap();
    assert_summaries_equal(&back, &summary);
    assert_eq!(json_of(&analyze_summary(&summary, &o).unwrap()), json_of(&run(&ds, &o)));
}

#[test]
fn small_cells_are_suppressed() {
    let ds = load("experiment.arrow");
    // tiny: A 71, B 60, C 66 units.
    let r = run(&ds, &options(json!({ "minCellSize": 65 })));
    let tiny = r.segments.iter().find(|s| s.name == "tiny").unwrap();
    let b = &tiny.variants[1];
    assert!(b.suppressed);
    assert!(b.n.is_none() && b.conversions.is_none() && b.revenue_sum.is_none() && b.conversion_vs_control.is_none());
    assert!(tiny.size.is_none() && tiny.srm.is_none());
    assert!(tiny.variants[2].conversion_vs_control.is_some(), "C (66) is shown and compared");
    assert!(r.warnings.iter().any(|w| w.code == WarningCode::SuppressedCell
        && w.segment.as_deref() == Some("tiny")
        && w.variant.as_deref() == Some("B")));
    assert!(!r.heterogeneity.tests.iter().any(|t| t.variant == "B" && t.segments.iter().any(|s| s == "tiny")));
    // Control suppressed: no comparisons in that segment.
    let r = run(&ds, &options(json!({ "minCellSize": 72 })));
    let tiny = r.segments.iter().find(|s| s.name == "tiny").unwrap();
    assert!(tiny.variants.iter().all(|v| v.suppressed && v.conversion_vs_control.is_none()));
    let json = serde_json::to_value(&r).unwrap();
    let tiny = json["segments"].as_array().unwrap().iter().find(|s| s["name"] == "tiny").unwrap();
    assert_eq!(tiny["variants"][0]["n"], Value::Null);
    // Off by default.
    let r = run(&ds, &options(json!({})));
    assert!(r.segments.iter().all(|s| s.variants.iter().all(|v| !v.suppressed)));
}

#[test]
fn warnings_and_report_shape() {
    let ds = load("experiment.arrow");
    let r = run(&ds, &options(json!({})));
    let has =
        |code: WarningCode, seg: Option<&str>| r.warnings.iter().any(|w| w.code == code && w.segment.as_deref() == seg);
    assert!(has(WarningCode::Srm, Some("norway")));
    assert!(has(WarningCode::Srm, Some("All customers")));
    assert!(!has(WarningCode::Srm, Some("tiny")));
    assert!(has(WarningCode::NullOutcomes, Some("All customers")));
    assert!(has(WarningCode::Unassigned, None));
    let json = serde_json::to_value(&r).unwrap();
    let seg = json["segments"].as_array().unwrap().iter().find(|s| s["name"] == "nordic_loyal").unwrap();
    for key in ["name", "rule", "size", "srm", "variants", "sql", "kind"] {
        assert!(seg.get(key).is_some(), "segment.{key}");
    }
    assert_eq!(seg["rule"], "country IN ('FI', 'SE') AND orders_count >= 3");
    let v = &seg["variants"][1];
    for key in [
        "variant",
        "n",
        "conversions",
        "conversionRate",
        "conversionInterval",
        "revenueSum",
        "revenueMean",
        "revenueVariance",
        "conversionVsControl",
        "revenueVsControl",
        "conversionNulls",
        "revenueNulls",
    ] {
        assert!(v.get(key).is_some(), "variant.{key}");
    }
    assert!(v["conversionVsControl"]["adjustedPValue"].is_number());
    assert!(v["conversionVsControl"]["pValue"].is_number());
    assert_eq!(json["options"]["correction"], "holm");
    assert_eq!(json["warnings"][0]["code"], "UNASSIGNED");
    // Revenue variance is the sample variance (n − 1).
    let c = cell(&r, "All customers", "B");
    let s = &summarize(&ds, &mut SegmentCache::default(), &options(json!({}))).unwrap().segments[0].cells[1];
    let n = (s.n - s.revenue_nulls) as f64;
    let mean = s.revenue_sum / n;
    close(c.revenue_variance.unwrap(), (s.revenue_sum_squares - n * mean * mean) / (n - 1.0), 1e-12, "variance");
    close(c.revenue_mean.unwrap(), mean, 1e-15, "mean");
}

#[test]
fn defaults_builtins_and_engines() {
    let ds = load("experiment.arrow");
    // Segments omitted: only "All customers"; control defaults to the first variant in sorted order.
    let o: AnalysisOptions = serde_json::from_value(json!({ "referenceDate": "2026-11-01" })).unwrap();
    let r = run(&ds, &o);
    assert_eq!(r.segments.len(), 1);
    assert_eq!(r.segments[0].name, "All customers");
    assert_eq!(r.control, "A");
    // Control first, then the others sorted.
    let r = run(&ds, &options(json!({ "control": "B", "segments": {} })));
    assert_eq!(r.variants, vec!["B", "A", "C"]);
    // Built-in lifecycle stages as segments, next to a rule; includeAll: false.
    // (serde_json here sorts object keys, so the order is set in Rust; JS keeps the object's key order.)
    let mut o = options(json!({ "includeAll": false, "segments": { "life": { "builtin": "lifecycle" } } }));
    o.segments.insert(0, ("repeat".into(), SegmentSpec::Rule("orders_count >= 2".into())));
    let r = run(&ds, &o);
    assert_eq!(r.segments[0].name, "repeat");
    // The analysis's referenceDate reaches the built-in (it did not: the list and the report disagreed).
    let dated = segmetry::segments::builtin::LifecycleOptions {
        reference_date: Some("2026-11-01".into()),
        ..Default::default()
    };
    let stages = segmetry::segments::builtin::lifecycle(&ds, &dated).unwrap();
    assert_eq!(r.segments.len(), 1 + stages.len());
    for (seg, stage) in r.segments[1..].iter().zip(&stages) {
        assert_eq!(seg.name, format!("life: {}", stage.name));
        assert_eq!(seg.kind, "builtin");
        assert_eq!(seg.size, Some(stage.size() as f64));
    }
    assert_eq!(r.unassigned, expected()["unassigned"].as_f64().unwrap());
    // Bayesian engine: no p-values, chance to win instead.
    let r = run(&ds, &options(json!({ "engine": "bayesian", "segments": {} })));
    let c = cell(&r, "All customers", "B").conversion_vs_control.as_ref().unwrap();
    assert!(c.result.p_value.is_none() && c.adjusted_p_value.is_none() && c.result.chance_to_win.is_some());
    // No correction: adjusted = raw; Bonferroni = min(1, m·p).
    let r = run(&ds, &options(json!({ "correction": "none" })));
    let c = cell(&r, "norway", "B").revenue_vs_control.as_ref().unwrap();
    assert_eq!(c.adjusted_p_value, c.result.p_value);
    let r = run(&ds, &options(json!({ "correction": "bonferroni" })));
    let c = cell(&r, "norway", "B").revenue_vs_control.as_ref().unwrap();
    assert_eq!(c.adjusted_p_value.unwrap(), (24.0 * c.result.p_value.unwrap()).min(1.0));
    // Metrics can be switched off.
    let r = run(&ds, &options(json!({ "conversion": null, "segments": {} })));
    let c = cell(&r, "All customers", "B");
    assert!(c.conversions.is_none() && c.conversion_vs_control.is_none() && c.revenue_vs_control.is_some());
    // Expected weights matching Norway's skewed split remove its SRM warning.
    let r = run(&ds, &options(json!({ "expectedWeights": { "A": 0.45, "B": 0.275, "C": 0.275 } })));
    assert!(!r.warnings.iter().any(|w| w.code == WarningCode::Srm && w.segment.as_deref() == Some("norway")));
}

fn err(ds: &Dataset, extra: Value) -> segmetry::Error {
    analyze(ds, &mut SegmentCache::default(), &options(extra)).unwrap_err()
}

#[test]
fn errors_name_what_is_wrong() {
    let ds = load("experiment.arrow");
    let e = err(&ds, json!({ "variant": "varaint" }));
    assert_eq!(e.code, ErrorCode::UnknownColumn);
    assert!(e.message.contains("did you mean `variant`"), "{}", e.message);
    let e = err(&ds, json!({ "revenue": "revenu" }));
    assert_eq!(e.code, ErrorCode::UnknownColumn);
    assert!(e.message.contains("revenue"), "{}", e.message);
    let e = err(&ds, json!({ "conversion": "country" }));
    assert_eq!(e.code, ErrorCode::TypeMismatch);
    assert!(e.message.contains("bool column or a numeric column of 0/1"), "{}", e.message);
    let e = err(&ds, json!({ "revenue": "country" }));
    assert_eq!(e.code, ErrorCode::TypeMismatch);
    let e = err(&ds, json!({ "variant": "revenue" }));
    assert_eq!(e.code, ErrorCode::TypeMismatch);
    assert!(e.message.contains("float64"), "{}", e.message);
    let e = err(&ds, json!({ "conversion": "converted_bad" }));
    assert_eq!(e.code, ErrorCode::TypeMismatch);
    assert!(e.message.contains("holds 2 at row 10000"), "{}", e.message);
    let e = err(&ds, json!({ "control": "Z" }));
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    assert_eq!(e.subject.as_deref(), Some("control"));
    assert!(e.message.contains("`A`, `B`, `C`"), "{}", e.message);
    let e = err(&ds, json!({ "confidence": 1.5 }));
    assert_eq!((e.code, e.subject.as_deref()), (ErrorCode::InvalidArgument, Some("confidence")));
    let e = err(&ds, json!({ "expectedWeights": [1, 1] }));
    assert_eq!((e.code, e.subject.as_deref()), (ErrorCode::InvalidArgument, Some("expectedWeights")));
    let e = err(&ds, json!({ "revenue": null, "covariate": "pre_revenue" }));
    assert_eq!((e.code, e.subject.as_deref()), (ErrorCode::InvalidArgument, Some("covariate")));
    let e = err(&ds, json!({ "segments": { "bad": "orders_count >=" } }));
    assert_eq!(e.code, ErrorCode::RuleSyntax);
    assert!(e.message.starts_with("segment `bad`"), "{}", e.message);
    let e = err(&ds, json!({ "segments": { "x": "nope > 1" } }));
    assert_eq!(e.code, ErrorCode::UnknownColumn);
    let e = err(&ds, json!({ "segments": { "All customers": "orders_count > 1" } }));
    assert_eq!((e.code, e.subject.as_deref()), (ErrorCode::InvalidArgument, Some("segments")));
    // One-sided sequential tests (GrowthBook's one-sided confidence sequences) are accepted.
    let r = run(&ds, &options(json!({ "sequential": true, "alternative": "greater" })));
    let c = &cell(&r, "All customers", "B").revenue_vs_control.as_ref().unwrap().result;
    assert!(c.p_value.unwrap() > 0.0 && c.upper == f64::INFINITY && c.lower.is_finite(), "{c:?}");
    // Deserialization errors name the option (the wasm facade maps them with options_error).
    // Catalogued messages travel through serde's string errors encoded; `expand` words them (as options_error does).
    let parse = |v: Value| {
        let text = serde_json::from_value::<AnalysisOptions>(v).unwrap_err().to_string();
        segmetry::messages::expand(&text, segmetry::messages::Lang::En)
    };
    let msg = parse(json!({ "confidance": 0.9 }));
    assert!(msg.contains("did you mean `confidence`"), "{msg}");
    let e = options_error(&parse(json!({ "correction": "hom" })));
    assert_eq!((e.code, e.subject.as_deref()), (ErrorCode::InvalidArgument, Some("correction")));
    let e = options_error(&parse(json!({ "minCellSize": -1 })));
    assert_eq!(e.subject.as_deref(), Some("minCellSize"));
    let msg = parse(json!({ "segments": { "r": { "builtin": "rfmm" } } }));
    assert!(msg.contains("unknown builtin `rfmm`"), "{msg}");
    let msg = parse(json!({ "segments": { "r": 3 } }));
    assert!(msg.contains("segment `r`"), "{msg}");
    // Sequential accepts true / { tuning }.
    let o: AnalysisOptions = serde_json::from_value(json!({ "sequential": true })).unwrap();
    assert_eq!(o.sequential.unwrap().tuning, 5000.0);
    let o: AnalysisOptions = serde_json::from_value(json!({ "sequential": { "tuning": 100 } })).unwrap();
    assert_eq!(o.sequential.unwrap().tuning, 100.0);
}

#[test]
fn empty_segments_and_empty_data() {
    let ds = load("experiment.arrow");
    let r = run(&ds, &options(json!({ "segments": { "none": "orders_count < 0" } })));
    let none = r.segments.iter().find(|s| s.name == "none").unwrap();
    assert_eq!(none.size, Some(0.0));
    assert!(r.warnings.iter().any(|w| w.code == WarningCode::EmptySegment && w.segment.as_deref() == Some("none")));
    let b = &none.variants[1];
    assert_eq!(b.n, Some(0.0));
    assert!(b.conversion_rate.unwrap().is_nan());
    assert!(b.conversion_vs_control.as_ref().unwrap().result.estimate.is_nan());
    assert!(b.conversion_vs_control.as_ref().unwrap().adjusted_p_value.is_none());
    // A dataset with no rows: a report, not an error.
    let empty = Dataset::from_batches(ds.schema().clone(), vec![]).unwrap();
    let r = run(&empty, &options(json!({})));
    assert!(r.variants.is_empty());
    assert_eq!(r.segments[0].size, Some(0.0));
}
