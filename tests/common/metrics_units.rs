//! The metrics fixture (`tests/fixtures/metrics/expected.json`, written by `scripts/gen_metrics_fixtures.py`) and
//! its units as one dataset. Shared by `tests/metrics_fixtures.rs` and `tests/metrics_sql.rs` via `#[path]`.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Int32Array, RecordBatch, StringArray};
use arrow_schema::{Field, Schema};
use segmetry::ingest::Dataset;
use serde_json::Value;

/// A file of the metrics fixture directory.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/metrics").join(name)
}

/// The generator's data and reference values.
pub fn expected() -> Value {
    let path = fixture("expected.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("fixture JSON")
}

fn ints(v: &Value) -> Vec<Option<i32>> {
    v.as_array().expect("array").iter().map(|x| x.as_i64().map(|i| i as i32)).collect()
}

/// The fixture's units: variant, Opened, Clicked, Score, and (derived the same way in the generator) `Opened text`
/// ('yes'/'no') and `Clicked flag` (bool).
pub fn units(fx: &Value) -> Dataset {
    let (mut variant, mut opened, mut clicked, mut score) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for v in ["A", "B"] {
        let d = &fx["data"][v];
        let o = ints(&d["Opened"]);
        variant.extend(std::iter::repeat_n(v, o.len()));
        opened.extend(o);
        clicked.extend(ints(&d["Clicked"]));
        score.extend(ints(&d["Score"]));
    }
    let text: Vec<Option<&str>> = opened.iter().map(|o| o.map(|o| if o == 1 { "yes" } else { "no" })).collect();
    let flag: Vec<Option<bool>> = clicked.iter().map(|c| c.map(|c| c == 1)).collect();
    let columns: Vec<(&str, ArrayRef)> = vec![
        ("variant", Arc::new(StringArray::from(variant))),
        ("Opened", Arc::new(Int32Array::from(opened))),
        ("Clicked", Arc::new(Int32Array::from(clicked))),
        ("Score", Arc::new(Int32Array::from(score))),
        ("Opened text", Arc::new(StringArray::from(text))),
        ("Clicked flag", Arc::new(BooleanArray::from(flag))),
    ];
    let fields: Vec<Field> = columns.iter().map(|(n, a)| Field::new(*n, a.data_type().clone(), true)).collect();
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), columns.into_iter().map(|(_, a)| a).collect()).unwrap();
    Dataset::from_batches(schema, vec![batch]).unwrap()
}
