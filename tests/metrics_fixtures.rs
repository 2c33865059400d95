//! Named metrics against `tests/fixtures/metrics/expected.json` (written by `scripts/gen_metrics_fixtures.py`):
//! the ratio metric's delta-method mean and variance (published formula, checked in the generator against
//! GrowthBook's gbstats 0.8.0 `RatioStatistic`), the NPS and its variance from promoter/detractor counts, and the
//! absolute B − A comparison (scipy Welch test). The unit-level data goes through `analyze` like any dataset.

use std::path::PathBuf;

use segmetry::ingest::Dataset;
use segmetry::metrics::{analyze, AnalysisOptions};
use segmetry::segments::SegmentCache;
use serde_json::Value;

#[path = "common/metrics_units.rs"]
mod metrics_units;
use metrics_units::{expected, units as dataset};

fn close(got: &Value, want: &Value, tol: f64, what: &str) {
    let (g, w) = (got.as_f64().unwrap_or(f64::NAN), want.as_f64().expect(what));
    let err = (g - w).abs() / w.abs().max(1e-300);
    assert!(err <= tol, "{what}: got {g}, want {w} (relative error {err:e} > {tol:e})");
}

#[test]
fn ratio_and_nps_metrics_match_the_references() {
    let fx = expected();
    let options: AnalysisOptions = serde_json::from_value(serde_json::json!({
        "control": "A", "conversion": null, "revenue": null, "difference": "absolute", "correction": "none",
        "metrics": {
            "click_to_open": { "type": "ratio", "numerator": "Clicked", "denominator": "Opened" },
            "nps": { "column": "Score", "type": "nps" },
        },
    }))
    .unwrap();
    let report = analyze(&dataset(&fx), &mut SegmentCache::default(), &options).unwrap();
    let json = serde_json::to_value(&report).unwrap();
    let variants = &json["segments"][0]["variants"];
    for (i, v) in ["A", "B"].iter().enumerate() {
        let got = &variants[i]["metrics"];
        let want = &fx["cells"][v];
        let (r, wr) = (&got["click_to_open"], &want["click_to_open"]);
        assert_eq!(r["n"].as_f64(), wr["n"].as_f64(), "ratio n");
        close(&r["estimate"], &wr["mean"], 1e-14, "ratio mean");
        close(&r["variance"], &wr["variance"], 1e-10, "ratio delta-method variance");
        close(&r["variance"], &wr["gbstatsVariance"], 1e-10, "ratio variance vs gbstats");
        let (s, ws) = (&got["nps"], &want["nps"]);
        for key in ["n", "nulls", "promoters", "detractors"] {
            assert_eq!(s[key].as_f64(), ws[key].as_f64(), "nps {key}");
        }
        close(&s["estimate"], &ws["mean"], 1e-14, "nps");
        close(&s["variance"], &ws["variance"], 1e-12, "nps variance");
    }
    for metric in ["click_to_open", "nps"] {
        let got = &variants[1]["metrics"][metric]["vsControl"];
        let want = &fx["bVsA"][metric];
        for key in ["estimate", "standardError", "lower", "upper"] {
            close(&got[key], &want[key], 1e-10, &format!("{metric} {key}"));
        }
        close(&got["pValue"], &want["pValue"], 1e-8, &format!("{metric} pValue"));
    }
}

/// CUPED on a named metric (`covariate`) is revenue's CUPED (θ from each compared pair; revenue's is checked
/// against statsmodels OLS in `src/metrics/cuped.rs`): on the analysis fixture, a mean metric of `revenue` with
/// covariate `pre_revenue` gets exactly `revenueVsControl` in every segment, guardrail direction included.
#[test]
fn named_metric_cuped_is_revenue_cuped() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/analysis/experiment.arrow");
    let ds = Dataset::from_ipc(std::fs::read(path).unwrap()).unwrap();
    let options: AnalysisOptions = serde_json::from_value(serde_json::json!({
        "control": "A", "conversion": null, "revenue": "revenue", "covariate": "pre_revenue",
        "referenceDate": "2026-11-01", "difference": "absolute",
        "segments": { "nordic": "country IN ('FI','SE')", "loyal": "orders_count >= 3" },
        "metrics": {
            "rev": { "column": "revenue", "type": "mean", "covariate": "pre_revenue", "role": "secondary" },
            "plain": { "column": "revenue", "type": "mean", "role": "secondary" },
        },
    }))
    .unwrap();
    let report = serde_json::to_value(analyze(&ds, &mut SegmentCache::default(), &options).unwrap()).unwrap();
    let mut compared = 0;
    for segment in report["segments"].as_array().unwrap() {
        for v in segment["variants"].as_array().unwrap().iter().skip(1) {
            let (named, builtin) = (&v["metrics"]["rev"]["vsControl"], &v["revenueVsControl"]);
            for key in ["estimate", "pValue", "lower", "upper", "cupedTheta"] {
                // The same formulas over sums accumulated in a different order: equal to the last bits.
                close(&named[key], &builtin[key], 1e-12, &format!("{} {key}", segment["name"]));
            }
            // The adjustment changes the test: without the covariate the interval is wider.
            let width = |c: &Value| c["upper"].as_f64().unwrap() - c["lower"].as_f64().unwrap();
            assert!(width(named) < width(&v["metrics"]["plain"]["vsControl"]), "{}", segment["name"]);
            compared += 1;
        }
    }
    assert!(compared >= 3, "{compared}");
}
