//! aggregate, join and customerFeatures on a generated Finnish shop's exports, against DuckDB
//! (tests/fixtures/prepare, made by scripts/gen_prepare_fixtures.py): every derived column, counts exact, sums
//! and means within 1e-12 relative.

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrayRef};
use arrow_schema::{DataType, TimeUnit};
use segmetry::ingest::Dataset;
use segmetry::prepare::{aggregate, customer_features, join, AggregateOptions, FeatureOptions, JoinOptions};
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/prepare");

fn expected() -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/expected.json")).unwrap()).unwrap()
}

fn load(name: &str) -> Dataset {
    Dataset::from_ipc(std::fs::read(format!("{DIR}/{name}.arrow")).unwrap()).unwrap()
}

/// Every column of `ds` as one array (the derived datasets are small).
fn column(ds: &Dataset, name: &str) -> Vec<Value> {
    let index = ds.column_index(name).unwrap_or_else(|e| panic!("{e}"));
    ds.column_chunks(index).flat_map(|c| (0..c.len()).map(|i| cell(c, i)).collect::<Vec<_>>()).collect()
}

/// One value as DuckDB's JSON has it: timestamps in microseconds, dates in days, decimals as numbers.
fn cell(a: &ArrayRef, i: usize) -> Value {
    if a.is_null(i) {
        return Value::Null;
    }
    match a.data_type() {
        DataType::Int64 => a.as_primitive::<Int64Type>().value(i).into(),
        DataType::Float64 => a.as_primitive::<Float64Type>().value(i).into(),
        DataType::Boolean => a.as_boolean().value(i).into(),
        DataType::Utf8 => a.as_string::<i32>().value(i).into(),
        DataType::Decimal128(_, s) => {
            (a.as_primitive::<Decimal128Type>().value(i) as f64 / 10f64.powi(*s as i32)).into()
        }
        DataType::Timestamp(TimeUnit::Microsecond, _) => a.as_primitive::<TimestampMicrosecondType>().value(i).into(),
        DataType::Dictionary(_, _) => {
            let d = a.as_dictionary::<Int32Type>();
            let k = d.keys().value(i) as usize;
            cell(d.values(), k)
        }
        other => panic!("unexpected output type {other}"),
    }
}

fn same(got: &[Value], want: &[Value], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: row count");
    for (row, (g, w)) in got.iter().zip(want).enumerate() {
        let ok = match (g, w) {
            (Value::Number(g), Value::Number(w)) if w.is_i64() && g.is_i64() => g == w,
            (Value::Number(g), Value::Number(w)) => {
                let (g, w) = (g.as_f64().unwrap(), w.as_f64().unwrap());
                (g - w).abs() <= 1e-12 * w.abs().max(1.0)
            }
            _ => g == w,
        };
        assert!(ok, "{what}, row {row}: got {g}, DuckDB has {w}");
    }
}

fn check(ds: &Dataset, key: &str, columns: &Value, what: &str) {
    for (name, want) in columns.as_object().unwrap() {
        let got = column(ds, if name == "key" { key } else { name });
        same(&got, want.as_array().unwrap(), &format!("{what}.{name}"));
    }
}

#[test]
fn aggregates_match_duckdb() {
    let e = expected();
    let orders = load("orders");
    assert_eq!(orders.num_rows() as u64, e["rows"]["orders"].as_u64().unwrap());
    for case in ["aggregate_paid", "aggregate_lines", "aggregate_country_text"] {
        let options: AggregateOptions = serde_json::from_value(e[case]["options"].clone()).unwrap();
        let out = aggregate(&orders, &options).unwrap_or_else(|err| panic!("{case}: {err}"));
        assert_eq!(out.schema().field(0).name(), &options.by, "key column first");
        check(&out, &options.by, &e[case]["columns"], case);
    }
}

#[test]
fn customer_features_match_duckdb() {
    let e = expected();
    let orders = load("orders");
    for case in ["features_paid", "features_all"] {
        let options: FeatureOptions = serde_json::from_value(e[case]["options"].clone()).unwrap();
        let out = customer_features(&orders, &options).unwrap_or_else(|err| panic!("{case}: {err}"));
        check(&out, "Email", &e[case]["columns"], case);
    }
}

#[test]
fn left_join_fills_counts_and_reports_matches() {
    let e = expected();
    let (orders, customers) = (load("orders"), load("customers"));
    let features: FeatureOptions = serde_json::from_value(e["features_paid"]["options"].clone()).unwrap();
    let features = customer_features(&orders, &features).unwrap();
    let options: JoinOptions = serde_json::from_value(e["join_customers"]["options"].clone()).unwrap();
    let joined = join(&customers, &features, &options).unwrap();
    let mut want = e["join_customers"]["columns"].clone();
    let matched = want.as_object_mut().unwrap().remove("matched").unwrap();
    check(&joined.dataset, "", &want, "join_customers");
    let matched = matched.as_array().unwrap().iter().filter(|m| m.as_bool().unwrap()).count();
    assert_eq!(joined.report.left, 300);
    assert_eq!(joined.report.right, features.num_rows());
    assert_eq!(joined.report.matched, matched);
    assert_eq!(joined.report.unmatched_left, 300 - matched);
    assert!(joined.report.unmatched_left > 0, "the fixture has customers without paid orders");
    // Left columns come first and unchanged; the right key is not repeated; nothing clashed.
    assert_eq!(joined.dataset.schema().field(0).name(), "Customer ID");
    assert!(joined.dataset.column_index("orders_Email").is_err());
}

#[test]
fn inner_join_keeps_matched_rows_in_left_order() {
    let e = expected();
    let (campaign, customers) = (load("campaign"), load("customers"));
    let options: JoinOptions = serde_json::from_value(e["join_campaign_inner"]["options"].clone()).unwrap();
    let joined = join(&campaign, &customers, &options).unwrap();
    check(&joined.dataset, "", &e["join_campaign_inner"]["columns"], "join_campaign_inner");
    assert_eq!(joined.report.unmatched_left, campaign.num_rows() - joined.dataset.num_rows());
}

#[test]
fn duplicate_right_keys_are_an_error_naming_the_key() {
    let e = expected();
    let (orders, customers) = (load("orders"), load("customers"));
    let options: JoinOptions = serde_json::from_value(e["join_duplicate"]["options"].clone()).unwrap();
    let err = join(&customers, &orders, &options).unwrap_err();
    let n = e["join_duplicate"]["duplicateKeys"].as_u64().unwrap();
    assert_eq!(err.code, segmetry::ErrorCode::InvalidArgument);
    assert!(err.message.contains(&format!("has {n} key value(s) in `Email`")), "{}", err.message);
    assert!(err.message.contains("aggregate"), "{}", err.message);
    assert_eq!(err.subject.as_deref(), Some("on"));
}
