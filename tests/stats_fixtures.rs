//! Compares the stats module against the JSON fixtures written by `scripts/gen_stats_fixtures.py`
//! (scipy / statsmodels / mpmath / gbstats). Arguments are deserialized with the same serde shapes the JS facade
//! uses, results are serialized the same way, and every expected field is compared with a relative tolerance:
//! 1e-12 for closed-form fields, 1e-9 where quantiles or special functions enter. Run with `--nocapture` to see
//! the largest relative error per function.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use segmetry::stats::{self, *};
use serde::de::DeserializeOwned;
use serde_json::Value;

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stats")
}

fn load(function: &str) -> Vec<Value> {
    let path = fixture_dir().join(format!("{function}.json"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v: Value = serde_json::from_str(&text).expect("fixture JSON");
    v["cases"].as_array().expect("cases").clone()
}

fn arg<T: DeserializeOwned>(case: &Value, key: &str) -> T {
    serde_json::from_value(case["args"][key].clone()).unwrap_or_else(|e| panic!("args.{key}: {e}"))
}

fn opts<T: DeserializeOwned + Default>(case: &Value) -> T {
    match case["args"].get("options") {
        Some(v) if !v.is_null() => serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("options: {e}")),
        _ => T::default(),
    }
}

/// Fields whose reference is a closed form (no quantile / special function): checked at 1e-12.
fn closed_form(function: &str, field: &str) -> bool {
    matches!(
        (function, field),
        (_, "df")
            | (_, "difference")
            | (_, "estimate")
            | (_, "oddsRatio")
            | (_, "q")
            | (_, "iSquared")
            | ("adjustPValues", _)
            | ("twoProportionZTest", "statistic")
            | ("chiSquareIndependence", "statistic")
            | ("srm", "statistic")
            | ("tTest", "statistic")
            | ("tTest", "standardError")
            | ("compare", "standardError")
            | ("sampleSize", _)
    )
}

fn expected_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) if s == "nan" => Some(f64::NAN),
        Value::String(s) if s == "inf" => Some(f64::INFINITY),
        Value::String(s) if s == "-inf" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// Relative error (absolute when the reference is 0); non-finite values must match exactly (serde_json writes
/// them as null, so NaN and ±∞ in results both arrive as null and match any non-finite reference).
fn error(actual: &Value, expected: f64) -> f64 {
    let a = match actual {
        Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
        Value::Null => f64::NAN,
        _ => return f64::INFINITY,
    };
    if !expected.is_finite() || !a.is_finite() {
        return if !expected.is_finite() && !a.is_finite() { 0.0 } else { f64::INFINITY };
    }
    if expected == 0.0 {
        a.abs()
    } else {
        (a - expected).abs() / expected.abs()
    }
}

#[derive(Default)]
struct Tally {
    max_closed: f64,
    max_special: f64,
    cases: usize,
    failures: Vec<String>,
}

fn compare_value(
    function: &str,
    path: &str,
    field: &str,
    actual: &Value,
    expected: &Value,
    tally: &mut Tally,
    name: &str,
) {
    match expected {
        Value::Object(map) => {
            for (k, v) in map {
                compare_value(function, &format!("{path}.{k}"), k, &actual[k.as_str()], v, tally, name);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                compare_value(function, &format!("{path}[{i}]"), field, &actual[i], v, tally, name);
            }
        }
        Value::Bool(b) => {
            if actual.as_bool() != Some(*b) {
                tally.failures.push(format!("{function} [{name}] {path}: got {actual}, want {b}"));
            }
        }
        _ => {
            let Some(want) = expected_number(expected) else { return };
            let err = error(actual, want);
            let closed = closed_form(function, field);
            let tol = if closed { 1e-12 } else { 1e-9 };
            if closed {
                tally.max_closed = tally.max_closed.max(err)
            } else {
                tally.max_special = tally.max_special.max(err)
            }
            if !(err <= tol) {
                tally.failures.push(format!(
                    "{function} [{name}] {path}: got {actual}, want {want} (rel err {err:.2e} > {tol:.0e})"
                ));
            }
        }
    }
}

fn run(function: &str) -> Tally {
    let mut tally = Tally::default();
    for case in load(function) {
        let name = case["name"].as_str().unwrap_or("?").to_string();
        let result: Value = match function {
            "proportionInterval" => {
                to_value(stats::proportion_interval(arg(&case, "successes"), arg(&case, "trials"), &opts(&case)))
            }
            "twoProportionZTest" => {
                to_value(two_proportion_z_test(&arg(&case, "control"), &arg(&case, "treatment"), &opts(&case)))
            }
            "proportionDifferenceInterval" => {
                to_value(proportion_difference_interval(&arg(&case, "control"), &arg(&case, "treatment"), &opts(&case)))
            }
            "chiSquareIndependence" => {
                to_value(chi_square_independence(&arg::<Vec<Vec<f64>>>(&case, "table"), &opts(&case)))
            }
            "srm" => to_value(srm(
                &arg::<Vec<f64>>(&case, "observedCounts"),
                &arg::<Vec<f64>>(&case, "expectedWeights"),
                &opts(&case),
            )),
            "fisherExact" => to_value(fisher_exact(&arg(&case, "table"), &opts(&case))),
            "tTest" => to_value(t_test(&arg(&case, "control"), &arg(&case, "treatment"), &opts(&case))),
            "adjustPValues" => {
                let adjusted = adjust_p_values(&arg::<Vec<f64>>(&case, "pValues"), arg(&case, "method"));
                to_value(adjusted.map(|a| serde_json::json!({ "adjusted": a })))
            }
            "heterogeneity" => {
                to_value(heterogeneity(&arg::<Vec<f64>>(&case, "estimates"), &arg::<Vec<f64>>(&case, "standardErrors")))
            }
            "bayesBinomial" | "bayesBinomialExtreme" => {
                to_value(bayes_binomial(&arg(&case, "control"), &arg(&case, "treatment"), &opts(&case)))
            }
            "compare" => to_value(stats::compare(&arg(&case, "control"), &arg(&case, "treatment"), &opts(&case))),
            "sampleSize" => to_value(sample_size(&opts(&case))),
            "power" => to_value(stats::power(&opts(&case))),
            "minimumDetectableEffect" => to_value(minimum_detectable_effect(&opts(&case))),
            other => panic!("unknown fixture function {other}"),
        };
        tally.cases += 1;
        compare_value(function, "", "", &result, &case["expected"], &mut tally, &name);
    }
    tally
}

fn to_value<T: serde::Serialize>(r: segmetry::Result<T>) -> Value {
    match r {
        Ok(v) => serde_json::to_value(v).expect("serialize"),
        Err(e) => Value::String(format!("error: {e}")),
    }
}

const FUNCTIONS: [&str; 15] = [
    "proportionInterval",
    "twoProportionZTest",
    "proportionDifferenceInterval",
    "chiSquareIndependence",
    "srm",
    "fisherExact",
    "tTest",
    "adjustPValues",
    "heterogeneity",
    "bayesBinomial",
    "bayesBinomialExtreme",
    "compare",
    "sampleSize",
    "power",
    "minimumDetectableEffect",
];

#[test]
fn fixtures_match_reference_implementations() {
    let mut table = BTreeMap::new();
    let mut failures = Vec::new();
    for f in FUNCTIONS {
        let t = run(f);
        assert!(t.cases > 0, "{f}: no cases");
        table.insert(f, (t.cases, t.max_closed, t.max_special));
        failures.extend(t.failures);
    }
    println!("\n{:<30} {:>6} {:>22} {:>24}", "function", "cases", "max rel err (closed)", "max rel err (special fn)");
    for (f, (n, c, s)) in &table {
        println!("{f:<30} {n:>6} {c:>22.2e} {s:>24.2e}");
    }
    for f in failures.iter().take(60) {
        println!("FAIL {f}");
    }
    assert!(failures.is_empty(), "{} fixture values out of tolerance (see output)", failures.len());
}

#[test]
fn tolerance_is_enforced() {
    // a perturbed value must be reported: guards against a comparison that can never fail
    let mut t = Tally::default();
    compare_value(
        "tTest",
        ".pValue",
        "pValue",
        &serde_json::json!(0.5 * (1.0 + 2e-9)),
        &serde_json::json!(0.5),
        &mut t,
        "x",
    );
    assert_eq!(t.failures.len(), 1);
    let mut t = Tally::default();
    compare_value(
        "tTest",
        ".statistic",
        "statistic",
        &serde_json::json!(2.0 * (1.0 + 1e-11)),
        &serde_json::json!(2.0),
        &mut t,
        "x",
    );
    assert_eq!(t.failures.len(), 1);
}
