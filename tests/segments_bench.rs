//! Evaluation speed on a synthetic 1M-row table (single thread). Ignored by default:
//! `cargo test --release --test segments_bench -- --ignored --nocapture`.

use std::sync::Arc;
use std::time::Instant;

use arrow_array::builder::StringDictionaryBuilder;
use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, Float64Array, Int32Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use segmetry::ingest::Dataset;
use segmetry::segments::{evaluate_many, Rule, RuleOptions};

#[test]
#[ignore]
fn bench_one_million_rows() {
    let n = 1_000_000usize;
    let batch_rows = 65_536;
    let schema = Arc::new(Schema::new(vec![
        Field::new("country", DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)), true),
        Field::new("orders_count", DataType::Int32, true),
        Field::new("spent", DataType::Float64, true),
    ]));
    let countries = ["FI", "SE", "US", "DE", "NO", "DK", "FR", "ES", "IT", "PL"];
    let mut state = 7u64;
    let mut rnd = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        state >> 33
    };
    let mut batches = Vec::new();
    let mut done = 0;
    while done < n {
        let rows = batch_rows.min(n - done);
        let mut dict = StringDictionaryBuilder::<Int32Type>::new();
        let mut orders = Vec::with_capacity(rows);
        let mut spent = Vec::with_capacity(rows);
        for _ in 0..rows {
            let r = rnd();
            if r % 10 == 0 {
                dict.append_null();
            } else {
                dict.append_value(countries[(r % 10) as usize]);
            }
            orders.push(if r % 13 == 0 { None } else { Some((rnd() % 20) as i32) });
            spent.push(Some((rnd() % 100_000) as f64 / 100.0));
        }
        let cols: Vec<ArrayRef> =
            vec![Arc::new(dict.finish()), Arc::new(Int32Array::from(orders)), Arc::new(Float64Array::from(spent))];
        batches.push(RecordBatch::try_new(schema.clone(), cols).unwrap());
        done += rows;
    }
    let ds = Dataset::from_batches(schema.clone(), batches).unwrap();
    let opts = RuleOptions::with_reference_date("2026-11-01").unwrap();
    for text in [
        "country IN ('FI', 'SE')",
        "orders_count >= 3",
        "spent > 250.5",
        "country IN ('FI', 'SE') AND orders_count >= 3",
        "NOT (country = 'US' OR orders_count < 2)",
    ] {
        let rule = Rule::parse(text, &schema, &opts).unwrap();
        rule.evaluate(&ds).unwrap();
        let reps = 20;
        let start = Instant::now();
        let mut c = 0;
        for _ in 0..reps {
            c = rule.evaluate(&ds).unwrap().count();
        }
        let secs = start.elapsed().as_secs_f64() / reps as f64;
        println!("{text:<50} {:>8.2} ms  {:>7.0} M rows/s  ({c} members)", secs * 1e3, n as f64 / secs / 1e6);
    }
    let rules: Vec<Rule> = [
        "country IN ('FI', 'SE')",
        "orders_count >= 3",
        "country IN ('FI', 'SE') AND orders_count >= 3",
        "spent > 100",
    ]
    .iter()
    .map(|t| Rule::parse(t, &schema, &opts).unwrap())
    .collect();
    let refs: Vec<&Rule> = rules.iter().collect();
    let start = Instant::now();
    for _ in 0..20 {
        evaluate_many(&refs, &ds).unwrap();
    }
    let secs = start.elapsed().as_secs_f64() / 20.0;
    println!("4 rules in one pass: {:.2} ms ({:.0} M rows/s per rule)", secs * 1e3, 4.0 * n as f64 / secs / 1e6);
}
