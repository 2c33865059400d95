//! The date-split holdout check: `calibration_and_holdout` on a seeded transaction log against `lifetimes`'
//! `calibration_and_holdout_data(freq='D')`, then `ds.clv` fitted on the calibration columns with its holdout
//! comparison against lifetimes' fit and conditional expectations (tests/fixtures/clv/holdout.json, written by
//! scripts/gen_clv_fixtures.py).

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{ArrayRef, Date32Array, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use serde_json::Value;

use segmetry::ingest::Dataset;
use segmetry::models::clv::dataset::{HoldoutOptions, TimeUnit};
use segmetry::models::clv::holdout::{calibration_and_holdout, HoldoutSplitOptions, HOLDOUT_COLUMNS};
use segmetry::models::clv::{checks, clv, BgNbdParams, ClvOptions};
use segmetry::ErrorCode;

fn fixture() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/clv/holdout.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (civil-from-days inverse, Howard Hinnant's algorithm).
fn days(date: &str) -> i32 {
    let p: Vec<i64> = date.split('-').map(|s| s.parse().unwrap()).collect();
    let (y, m, d) = (if p[1] <= 2 { p[0] - 1 } else { p[0] }, p[1], p[2]);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    (era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468) as i32
}

/// The transaction log in two record batches, customer keys upper-cased on every third row (normalized away).
fn orders(f: &Value) -> Dataset {
    let t = &f["transactions"];
    let customers: Vec<String> = strings(&t["customer"])
        .into_iter()
        .enumerate()
        .map(|(i, c)| if i % 3 == 0 { c.to_uppercase() } else { c })
        .collect();
    let dates: Vec<i32> = strings(&t["date"]).iter().map(|d| days(d)).collect();
    let amounts = floats(&t["amount"]);
    let schema = Arc::new(Schema::new(vec![
        Field::new("customer", DataType::Utf8, false),
        Field::new("date", DataType::Date32, false),
        Field::new("amount", DataType::Float64, false),
    ]));
    let batch = |r: std::ops::Range<usize>| {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(customers[r.clone()].to_vec())),
            Arc::new(Date32Array::from(dates[r.clone()].to_vec())),
            Arc::new(Float64Array::from(amounts[r].to_vec())),
        ];
        RecordBatch::try_new(schema.clone(), columns).unwrap()
    };
    let n = dates.len();
    Dataset::from_batches(schema.clone(), vec![batch(0..n / 2), batch(n / 2..n)]).unwrap()
}

fn split_options(f: &Value) -> HoldoutSplitOptions {
    HoldoutSplitOptions {
        customer: "customer".into(),
        date: "date".into(),
        amount: Some("amount".into()),
        calibration_end: f["calibration_end"].as_str().unwrap().into(),
        observation_end: Some(f["observation_end"].as_str().unwrap().into()),
        ..HoldoutSplitOptions::default()
    }
}

fn column(ds: &Dataset, name: &str) -> Vec<f64> {
    let i = ds.column_index(name).unwrap();
    ds.column_chunks(i).flat_map(|c| c.as_primitive::<Float64Type>().values().to_vec()).collect()
}

#[test]
fn the_split_matches_lifetimes_calibration_and_holdout_data() {
    let f = fixture();
    let split = calibration_and_holdout(&orders(&f), &split_options(&f)).unwrap();
    let want = &f["summary"];
    let keys: Vec<String> =
        split.column_chunks(0).flat_map(|c| c.as_string::<i32>().iter().map(|s| s.unwrap().to_string())).collect();
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    assert_eq!(order.iter().map(|&i| keys[i].clone()).collect::<Vec<_>>(), strings(&want["customer"]));
    for name in HOLDOUT_COLUMNS {
        let (got, expected) = (column(&split, name), floats(&want[name]));
        for (k, &i) in order.iter().enumerate() {
            assert!((got[i] - expected[k]).abs() <= 1e-9 * expected[k].abs().max(1.0), "{name} of {}", keys[i]);
        }
    }
}

#[test]
fn the_holdout_comparison_matches_lifetimes() {
    let f = fixture();
    let split = calibration_and_holdout(&orders(&f), &split_options(&f)).unwrap();
    let duration = column(&split, "duration_holdout")[0];
    let options = ClvOptions {
        frequency: Some("frequency_cal".into()),
        recency: Some("recency_cal".into()),
        t: Some("T_cal".into()),
        unit: TimeUnit::Days,
        holdout: Some(HoldoutOptions { frequency: "frequency_holdout".into(), days: duration }),
        ..ClvOptions::default()
    };
    let result = clv(&split, &options).unwrap();
    let want = &f["fit"]["params"];
    for (name, got) in
        [("r", result.params.r), ("alpha", result.params.alpha), ("a", result.params.a), ("b", result.params.b)]
    {
        let expected = want[name].as_f64().unwrap();
        assert!((got.unwrap() / expected - 1.0).abs() < 1e-4, "{name}: {got:?} vs {expected}");
    }
    let holdout = result.checks.holdout.unwrap();
    let c = &f["comparison"];
    assert_eq!(holdout.customers, floats(&c["customers"]));
    for (k, (got, expected)) in holdout.actual.iter().zip(floats(&c["actual"])).enumerate() {
        assert!((got - expected).abs() < 1e-12, "actual, bucket {k}");
    }
    for (k, (got, expected)) in holdout.expected.iter().zip(floats(&c["expected"])).enumerate() {
        assert!((got / expected - 1.0).abs() < 1e-3, "expected at our fit, bucket {k}: {got} vs {expected}");
    }
    // At lifetimes' own parameters the per-bucket expectations agree to rounding.
    let p = BgNbdParams {
        r: want["r"].as_f64().unwrap(),
        alpha: want["alpha"].as_f64().unwrap(),
        a: want["a"].as_f64().unwrap(),
        b: want["b"].as_f64().unwrap(),
    };
    let (x, tx, t, actual) = (
        column(&split, "frequency_cal"),
        column(&split, "recency_cal"),
        column(&split, "T_cal"),
        column(&split, "frequency_holdout"),
    );
    let rows = (0..x.len()).map(|i| (x[i], tx[i], t[i], actual[i]));
    let at_theirs = checks::holdout_comparison(&p, rows, duration, 8);
    for (k, (got, expected)) in at_theirs.expected.iter().zip(floats(&c["expected"])).enumerate() {
        assert!((got / expected - 1.0).abs() < 1e-6, "expected at lifetimes' fit, bucket {k}: {got} vs {expected}");
    }
}

#[test]
fn split_errors_name_the_option() {
    let f = fixture();
    let ds = orders(&f);
    let err = |o: HoldoutSplitOptions| calibration_and_holdout(&ds, &o).unwrap_err();
    let e = err(HoldoutSplitOptions { date: "amount".into(), ..split_options(&f) });
    assert_eq!((e.code, e.subject.as_deref()), (ErrorCode::InvalidArgument, Some("date")));
    let e = err(HoldoutSplitOptions { observation_end: Some("2025-01-01".into()), ..split_options(&f) });
    assert_eq!(e.subject.as_deref(), Some("observationEnd"));
    let e = err(HoldoutSplitOptions { calibration_end: "31.3.2025".into(), ..split_options(&f) });
    assert_eq!(e.subject.as_deref(), Some("calibrationEnd"));
    let e = err(HoldoutSplitOptions { customer: "nope".into(), ..split_options(&f) });
    assert_eq!(e.code, ErrorCode::UnknownColumn);
}
