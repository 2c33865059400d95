//! Named metrics through the scale-out path: `sql_for_analysis` writes their sums (`m<k>_…`), DuckDB runs the query
//! over the units of `tests/fixtures/metrics/expected.json` (`scripts/gen_metrics_fixtures.py`, which also holds
//! the gbstats / scipy references), and `summary_from_rows` → `analyze_summary` must give the report `analyze` gives
//! on the same units — and so the references' ratio (delta method) and NPS values.
//!
//! Regenerate: `cargo test --test metrics_sql -- --ignored write_metrics_sql`, then
//! `python3 scripts/gen_metrics_fixtures.py`.

use segmetry::ingest::Dataset;
use segmetry::metrics::{analyze, analyze_summary, AnalysisOptions};
use segmetry::scaleout::read_rows::RowsInput;
use segmetry::scaleout::{sql_for_analysis, summary_from_rows, Plan, SqlOptions};
use segmetry::segments::{Dialect, SegmentCache};
use segmetry::ErrorCode;
use serde_json::{json, Value};

#[path = "common/metrics_units.rs"]
mod metrics_units;
use metrics_units::{expected, fixture, units as dataset};

/// Every metric type and source kind (0/1 numbers, yes/no text, bool; ratio; NPS; mean), in two segments.
fn options() -> AnalysisOptions {
    serde_json::from_value(json!({
        "control": "A", "conversion": null, "revenue": null, "difference": "absolute", "correction": "holm",
        "referenceDate": "2026-11-01",
        "segments": { "answered": "Score IS NOT NULL", "openers": "\"Opened text\" = 'yes'" },
        "metrics": {
            "opened": { "column": "Opened", "type": "proportion" },
            "opened_text": "Opened text",
            "clicked": { "column": "Clicked flag", "role": "secondary" },
            "click_to_open": { "type": "ratio", "numerator": "Clicked", "denominator": "Opened" },
            "nps": { "column": "Score", "type": "nps" },
            "score": { "column": "Score", "type": "mean", "role": "guardrail", "higherIsBetter": true },
            "clicked_cuped": { "column": "Clicked", "type": "proportion", "covariate": "Score" },
        },
    }))
    .unwrap()
}

fn sql(ds: &Dataset) -> String {
    let o = SqlOptions { dialect: Dialect::DuckDb, table: "units".into(), suppress_small_cells: false };
    sql_for_analysis(ds.schema(), &options(), &o).unwrap()
}

/// Writes `metrics.duckdb.sql`, which `scripts/gen_metrics_fixtures.py` runs in DuckDB.
#[test]
#[ignore = "fixture writer; see scripts/gen_metrics_fixtures.py"]
fn write_metrics_sql() {
    std::fs::write(fixture("metrics.duckdb.sql"), sql(&dataset(&expected())) + "\n").unwrap();
}

/// Numbers equal to a relative `tol` (sums differ in their last bits between engines), everything else exactly.
fn same(got: &Value, want: &Value, path: &str, tol: f64) {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            assert_eq!(g.keys().collect::<Vec<_>>(), w.keys().collect::<Vec<_>>(), "{path}");
            for (k, v) in w {
                same(&g[k], v, &format!("{path}.{k}"), tol);
            }
        }
        (Value::Array(g), Value::Array(w)) => {
            assert_eq!(g.len(), w.len(), "{path}");
            for (i, (a, b)) in g.iter().zip(w).enumerate() {
                same(a, b, &format!("{path}[{i}]"), tol);
            }
        }
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            assert!((a - b).abs() <= tol * b.abs().max(1e-12), "{path}: {a} vs {b}");
        }
        _ => assert_eq!(got, want, "{path}"),
    }
}

#[test]
fn duckdb_aggregates_give_the_analyze_report_and_the_references() {
    let fx = expected();
    let ds = dataset(&fx);
    let stored = std::fs::read_to_string(fixture("metrics.duckdb.sql")).unwrap();
    assert_eq!(sql(&ds), stored.trim_end(), "the query changed: regenerate (see the module docs)");
    let rows: RowsInput =
        serde_json::from_str(&std::fs::read_to_string(fixture("metrics_duckdb.json")).unwrap()).unwrap();
    let rows = rows.into_rows().unwrap();
    let plan = Plan::new(Some(ds.schema()), &options()).unwrap();
    let summary = summary_from_rows(&rows, &plan).unwrap();
    let got = serde_json::to_value(analyze_summary(&summary, &options()).unwrap()).unwrap();
    let want = serde_json::to_value(analyze(&ds, &mut SegmentCache::default(), &options()).unwrap()).unwrap();
    same(&got, &want, "report", 1e-12);

    // The references: ratio (published delta method = gbstats RatioStatistic) and NPS per variant, Welch B − A.
    let variants = &got["segments"][0]["variants"];
    let close = |g: &Value, w: &Value, tol: f64, what: &str| {
        let (g, w) = (g.as_f64().unwrap(), w.as_f64().unwrap());
        assert!((g - w).abs() <= tol * w.abs(), "{what}: {g} vs {w}");
    };
    for (i, v) in ["A", "B"].iter().enumerate() {
        let (m, want) = (&variants[i]["metrics"], &fx["cells"][v]);
        close(&m["click_to_open"]["estimate"], &want["click_to_open"]["gbstatsMean"], 1e-14, "ratio mean");
        close(&m["click_to_open"]["variance"], &want["click_to_open"]["gbstatsVariance"], 1e-10, "ratio variance");
        close(&m["nps"]["estimate"], &want["nps"]["mean"], 1e-14, "nps");
        close(&m["nps"]["variance"], &want["nps"]["variance"], 1e-12, "nps variance");
        assert_eq!(m["nps"]["promoters"].as_f64(), want["nps"]["promoters"].as_f64());
        assert_eq!(m["opened"]["conversions"], m["opened_text"]["conversions"]);
    }
    assert!(variants[1]["metrics"]["clicked_cuped"]["vsControl"]["cupedTheta"].as_f64().is_some());
    for metric in ["click_to_open", "nps"] {
        let (g, w) = (&variants[1]["metrics"][metric]["vsControl"], &fx["bVsA"][metric]);
        for key in ["estimate", "standardError", "lower", "upper"] {
            close(&g[key], &w[key], 1e-10, &format!("{metric} {key}"));
        }
    }
}

#[test]
fn metric_errors_in_the_sql_path() {
    let ds = dataset(&expected());
    let plan = |metrics: Value| {
        let o: AnalysisOptions =
            serde_json::from_value(json!({ "conversion": null, "revenue": null, "metrics": metrics })).unwrap();
        Plan::new(Some(ds.schema()), &o)
    };
    // A numeric column needs its type: the query cannot look for 0/1 values.
    let e = plan(json!({ "opened": "Opened" })).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    assert!(e.message.contains("type: 'proportion'"), "{}", e.message);
    let e = plan(json!({ "x": { "column": "Opend", "type": "mean" } })).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownColumn);
    assert!(e.message.contains("Opened"), "{}", e.message);
    // Without a schema, metrics cannot be planned.
    let o: AnalysisOptions = serde_json::from_value(
        json!({ "conversion": null, "revenue": null, "metrics": { "nps": { "column": "Score", "type": "nps" } } }),
    )
    .unwrap();
    assert_eq!(Plan::new(None, &o).unwrap_err().code, ErrorCode::InvalidArgument);
    // Rows with refused values, or without the metric columns, are errors.
    let p = plan(json!({ "nps": { "column": "Score", "type": "nps" } })).unwrap();
    let rows = |v: Value| serde_json::from_value::<RowsInput>(v).unwrap().into_rows().unwrap();
    let bad = rows(json!([{ "segment": null, "variant": "A", "n": 3, "m1_n": 2, "m1_invalid": 1 }]));
    let e = summary_from_rows(&bad, &p).unwrap_err();
    assert_eq!(e.code, ErrorCode::TypeMismatch);
    assert!(e.message.contains("metric `nps`"), "{}", e.message);
    let none = rows(json!([{ "segment": null, "variant": "A", "n": 3 }]));
    assert!(summary_from_rows(&none, &p).unwrap_err().message.contains("no metric columns"));
    let extra = rows(json!([{ "segment": null, "variant": "A", "n": 3, "m1_n": 3, "m2_n": 1 }]));
    assert!(summary_from_rows(&extra, &p).is_err());
}
