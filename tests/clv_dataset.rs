//! `ds.clv` on a Dataset (named columns in weeks, derived columns from dates) and the `spendTier` built-in, on
//! the CDNOW sample with references from `scripts/gen_clv_fixtures.py` (lifetimes 0.11.3).

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{ArrayRef, Date32Array, Float64Array, RecordBatch};
use arrow_schema::{Field, Schema};
use serde_json::{json, Value};

use segmetry::ingest::Dataset;
use segmetry::metrics::AnalysisOptions;
use segmetry::models::clv::dataset::{with_columns, TimeUnit, CLV_COLUMNS};
use segmetry::models::clv::{clv, ClvOptions};
use segmetry::segments::builtin::{spend_tier, SpendTierOptions};
use segmetry::ErrorCode;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/clv");

fn fixture(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/{name}")).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

/// CDNOW as a dataset in two batches, with one invalid row appended (recency > T) and one null frequency.
fn cdnow_dataset() -> Dataset {
    let d = fixture("cdnow.json");
    let mut cols: Vec<Vec<Option<f64>>> =
        ["x", "t_x", "T", "zbar"].iter().map(|k| floats(&d[*k]).into_iter().map(Some).collect()).collect();
    for (c, v) in cols.iter_mut().zip([Some(1.0), Some(50.0), Some(39.0), Some(10.0)]) {
        c.push(v);
    }
    for (c, v) in cols.iter_mut().zip([None, Some(1.0), Some(39.0), Some(10.0)]) {
        c.push(v);
    }
    let names = ["frequency", "recency", "T", "monetary"];
    let schema = Arc::new(Schema::new(names.map(|n| Field::new(n, arrow_schema::DataType::Float64, true)).to_vec()));
    let n = cols[0].len();
    let batch = |range: std::ops::Range<usize>| {
        let arrays: Vec<ArrayRef> =
            cols.iter().map(|c| Arc::new(Float64Array::from(c[range.clone()].to_vec())) as ArrayRef).collect();
        RecordBatch::try_new(schema.clone(), arrays).unwrap()
    };
    Dataset::from_batches(schema.clone(), vec![batch(0..1000), batch(1000..n)]).unwrap()
}

fn named_options() -> ClvOptions {
    ClvOptions {
        frequency: Some("frequency".into()),
        recency: Some("recency".into()),
        t: Some("T".into()),
        monetary: Some("monetary".into()),
        unit: TimeUnit::Weeks,
        ..Default::default()
    }
}

#[test]
fn clv_on_named_columns_matches_lifetimes() {
    let ds = cdnow_dataset();
    let result = clv(&ds, &named_options()).unwrap();
    let bg = &fixture("bgnbd.json")["fit"]["params"];
    let gg = &fixture("gamma_gamma.json")["fit"]["params"];
    let p = &result.params;
    for (got, want) in [
        (p.r, &bg["r"]),
        (p.alpha, &bg["alpha"]),
        (p.a, &bg["a"]),
        (p.b, &bg["b"]),
        (p.p, &gg["p"]),
        (p.q, &gg["q"]),
        (p.gamma, &gg["v"]),
    ] {
        let (got, want) = (got.unwrap(), want.as_f64().unwrap());
        assert!((got / want - 1.0).abs() < 1e-4, "{got} vs {want}");
    }
    assert_eq!((result.checks.fitted, result.checks.skipped), (2357, 2));
    assert!(result.checks.converged);
    assert_eq!(result.checks.warnings.len(), 1, "{:?}", result.checks.warnings); // the skipped rows
    let corr = fixture("gamma_gamma.json")["at_published"]["frequency_monetary_correlation"].as_f64().unwrap();
    let got = result.checks.spend_independence.as_ref().unwrap().correlation.unwrap();
    assert!((got - corr).abs() < 1e-12, "{got} vs {corr}");

    let customers = with_columns(&ds, &result.columns).unwrap();
    assert_eq!(customers.num_rows(), ds.num_rows());
    let names: Vec<String> = customers.columns().into_iter().map(|c| c.name).collect();
    assert_eq!(&names[4..], &CLV_COLUMNS.map(String::from));
    let index = customers.column_index("p_alive").unwrap();
    let p_alive: Vec<Option<f64>> = customers
        .column_chunks(index)
        .flat_map(|c| c.as_primitive::<Float64Type>().iter().collect::<Vec<_>>())
        .collect();
    assert_eq!(p_alive.len(), 2359);
    assert!(p_alive[..2357].iter().all(|p| p.is_some_and(|p| (0.0..=1.0).contains(&p))));
    assert_eq!(&p_alive[2357..], &[None, None]);
    // Re-running on the output replaces the columns instead of duplicating them.
    let again = with_columns(&customers, &result.columns).unwrap();
    assert_eq!(again.columns().len(), 8);
}

#[test]
fn clv_derived_from_customer_features() {
    // Three customers plus enough others to fit: dates in days; orders_count − 1 = frequency.
    let d = fixture("cdnow.json");
    let (x, tx, t, z) = (floats(&d["x"]), floats(&d["t_x"]), floats(&d["T"]), floats(&d["zbar"]));
    let reference = 19_900; // days since the epoch
    let first: Vec<i32> = t.iter().map(|t| reference - (t * 7.0).round() as i32).collect();
    let last: Vec<i32> = first.iter().zip(&tx).map(|(f, tx)| f + (tx * 7.0).round() as i32).collect();
    let last_days: Vec<f64> = last.iter().map(|l| f64::from(reference - l)).collect();
    let orders: Vec<f64> = x.iter().map(|x| x + 1.0).collect();
    let spent: Vec<f64> = orders.iter().zip(&z).map(|(o, z)| o * z).collect();
    let schema = Arc::new(Schema::new(vec![
        Field::new("orders_count", arrow_schema::DataType::Float64, false),
        Field::new("first_order_date", arrow_schema::DataType::Date32, false),
        Field::new("last_order_date", arrow_schema::DataType::Date32, false),
        Field::new("total_spent", arrow_schema::DataType::Float64, false),
        Field::new("last_order_days", arrow_schema::DataType::Float64, false),
    ]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(Float64Array::from(orders)),
            Arc::new(Date32Array::from(first)),
            Arc::new(Date32Array::from(last)),
            Arc::new(Float64Array::from(spent)),
            Arc::new(Float64Array::from(last_days)),
        ],
    )
    .unwrap();
    let ds = Dataset::from_batches(schema, vec![batch]).unwrap();
    let options = ClvOptions { reference_date: Some("2024-06-26".into()), ..Default::default() };
    let result = clv(&ds, &options).unwrap();
    assert_eq!(result.reference_date.as_deref(), Some("2024-06-26"));
    assert_eq!(result.checks.fitted, 2357);
    // Day-rounded CDNOW: the same model in days, α ≈ 7 × 4.414.
    let p = &result.params;
    assert!((p.r.unwrap() - 0.243).abs() < 0.005 && (p.alpha.unwrap() / 7.0 - 4.414).abs() < 0.1, "{p:?}");
    // total_spent / orders is zbar again, so Gamma-Gamma matches the weekly fit.
    assert!((p.p.unwrap() - 6.25).abs() < 0.01 && (p.q.unwrap() - 3.74).abs() < 0.01, "{p:?}");
    // Days since the last order (customerFeatures' last_order_days) instead of its date: the same inputs.
    let by_days = ClvOptions { last_order_days: Some("last_order_days".into()), ..options.clone() };
    let again = clv(&ds, &by_days).unwrap();
    assert_eq!((again.params, again.checks.fitted), (result.params, 2357));
    let err = clv(&ds, &ClvOptions { reference_date: None, ..by_days }).unwrap_err();
    assert_eq!(err.subject.as_deref(), Some("referenceDate"));
}

#[test]
fn clv_option_errors() {
    let ds = cdnow_dataset();
    let err = clv(&ds, &ClvOptions { recency: None, ..named_options() }).unwrap_err();
    assert_eq!((err.code, err.subject.as_deref()), (ErrorCode::InvalidArgument, Some("recency")));
    let err = clv(&ds, &ClvOptions { horizon_days: 0.0, ..named_options() }).unwrap_err();
    assert_eq!(err.subject.as_deref(), Some("horizonDays"));
    let err = clv(&ds, &ClvOptions { frequency: Some("nope".into()), ..named_options() }).unwrap_err();
    assert_eq!(err.code, ErrorCode::UnknownColumn);
    // Derived mode without the customerFeatures columns names the missing one.
    let err = clv(&ds, &ClvOptions::default()).unwrap_err();
    assert_eq!(err.code, ErrorCode::UnknownColumn);
    let parsed: ClvOptions = serde_json::from_value(json!({"frequency": "f", "T": "age", "unit": "weeks"})).unwrap();
    assert_eq!((parsed.t.as_deref(), parsed.unit), (Some("age"), TimeUnit::Weeks));
    assert!(serde_json::from_value::<ClvOptions>(json!({"horizon": 3})).is_err());
}

#[test]
fn spend_tiers() {
    let ds = cdnow_dataset();
    let options = SpendTierOptions { clv: named_options(), ..Default::default() };
    let tiers = spend_tier(&ds, &options).unwrap();
    let names: Vec<&str> = tiers.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["High", "Medium", "Low", "Likely lost", "Unscored"]);
    let sizes: Vec<usize> = tiers.iter().map(|s| s.size()).collect();
    assert_eq!(sizes.iter().sum::<usize>(), ds.num_rows());
    assert_eq!(sizes[4], 2);
    // Likely lost = P(alive) < 0.3, with P(alive) from lifetimes at (nearly the same) published parameters.
    let p_alive = floats(&fixture("bgnbd.json")["at_published"]["p_alive"]);
    let lost_by_lifetimes = p_alive.iter().filter(|p| **p < 0.3).count();
    let near = p_alive.iter().filter(|p| (**p - 0.3).abs() < 1e-3).count();
    assert!(sizes[3].abs_diff(lost_by_lifetimes) <= near, "{} vs {lost_by_lifetimes}", sizes[3]);
    // ds.clv's tier summary cuts the same way.
    let summary = clv(&ds, &named_options()).unwrap().tiers;
    assert_eq!(
        summary.iter().map(|t| (t.name, t.customers)).collect::<Vec<_>>(),
        names.into_iter().zip(sizes.clone()).collect::<Vec<_>>()
    );
    assert!(summary[0].mean_clv.unwrap() > summary[1].mean_clv.unwrap() && summary[4].clv.is_none());
    let active = sizes[0] + sizes[1] + sizes[2];
    assert!((sizes[0] as f64 / active as f64 - 0.2).abs() < 0.01, "{sizes:?}");
    assert!((sizes[1] as f64 / active as f64 - 0.3).abs() < 0.01, "{sizes:?}");
    // Bad shares are refused.
    let err = spend_tier(&ds, &SpendTierOptions { high_share: 0.8, medium_share: 0.3, ..options.clone() }).unwrap_err();
    assert_eq!(err.subject.as_deref(), Some("highShare"));
}

#[test]
fn spend_tier_is_a_builtin_segment_spec() {
    let options: AnalysisOptions = serde_json::from_value(json!({
        "segments": { "tiers": { "builtin": "spendTier", "options": { "highShare": 0.1, "clv": { "unit": "weeks" } } } }
    }))
    .unwrap();
    let echoed = serde_json::to_value(&options.segments).unwrap();
    assert_eq!(echoed, json!([["tiers", { "builtin": "spendTier" }]]));
}
