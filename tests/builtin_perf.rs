//! Timings of the built-ins on 1M customers. Ignored by default (run in release):
//!
//! ```sh
//! cargo test --release --test builtin_perf -- --ignored --nocapture
//! ```

use std::sync::Arc;
use std::time::Instant;

use arrow_array::{ArrayRef, Float64Array, Int32Array, Int64Array, RecordBatch};
use arrow_schema::{Field, Schema};

use segmetry::ingest::Dataset;
use segmetry::segments::builtin::clusters::Rng;
use segmetry::segments::builtin::{self, ClusterOptions, LifecycleOptions, RfmOptions};

const N: usize = 1_000_000;

/// 1M customers: 5 overlapping Gaussian groups in 4 numeric columns (+ RFM/lifecycle columns), in batches of 64K.
fn dataset(uniform: bool) -> Dataset {
    let mut rng = Rng::new(99, 0);
    let mut normal = move || {
        // Box–Muller.
        let (u, v) = (rng.next_f64().max(1e-300), rng.next_f64());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    };
    let centers = [[1.0, 50.0, 3.0, 0.1], [4.0, 400.0, 10.0, 0.3], [2.0, 900.0, 30.0, 0.2], [8.0, 150.0, 60.0, 0.05], [6.0, 2500.0, 5.0, 0.4]];
    let spread = [1.0, 120.0, 6.0, 0.05];
    let mut cols = vec![Vec::with_capacity(N); 4];
    let mut pick = Rng::new(98, 0);
    for _ in 0..N {
        let g = pick.below(5) as usize;
        for c in 0..4 {
            let v = if uniform { pick.next_f64() * 10.0 } else { centers[g][c] + spread[c] * normal() };
            cols[c].push(v);
        }
    }
    let ids: Vec<i64> = (0..N as i64).map(|i| (i * 7919) % N as i64).collect();
    let orders: Vec<i32> = (0..N).map(|i| (cols[0][i].abs() as i32) % 15).collect();
    let days: Vec<i32> = (0..N).map(|i| (cols[1][i].abs() as i32) % 700).collect();
    let schema = Arc::new(Schema::new(vec![
        Field::new("customer_id", arrow_schema::DataType::Int64, false),
        Field::new("orders_count", arrow_schema::DataType::Int32, true),
        Field::new("last_order_days", arrow_schema::DataType::Int32, true),
        Field::new("total_spent", arrow_schema::DataType::Float64, true),
        Field::new("visits", arrow_schema::DataType::Float64, true),
        Field::new("revenue", arrow_schema::DataType::Float64, true),
        Field::new("tenure", arrow_schema::DataType::Float64, true),
        Field::new("discount", arrow_schema::DataType::Float64, true),
    ]));
    let mut batches = Vec::new();
    for start in (0..N).step_by(65_536) {
        let end = (start + 65_536).min(N);
        let f = |v: &Vec<f64>| -> ArrayRef { Arc::new(Float64Array::from(v[start..end].to_vec())) };
        batches.push(
            RecordBatch::try_new(
                schema.clone(),
                vec![
                    Arc::new(Int64Array::from(ids[start..end].to_vec())),
                    Arc::new(Int32Array::from(orders[start..end].to_vec())),
                    Arc::new(Int32Array::from(days[start..end].to_vec())),
                    f(&cols[1]),
                    f(&cols[0]),
                    f(&cols[1]),
                    f(&cols[2]),
                    f(&cols[3]),
                ],
            )
            .unwrap(),
        );
    }
    Dataset::from_batches(schema, batches).unwrap()
}

#[test]
#[ignore]
fn one_million_rows() {
    let ds = dataset(false);
    let t = Instant::now();
    let rfm = builtin::rfm(&ds, &RfmOptions { id: Some("customer_id".into()), ..RfmOptions::default() }).unwrap();
    println!("rfm (1M rows, id tie-break): {:?}, scored {}", t.elapsed(), rfm.scored);
    let t = Instant::now();
    let stages = builtin::lifecycle(&ds, &LifecycleOptions::default()).unwrap();
    println!("lifecycle (1M rows): {:?}, {} stages", t.elapsed(), stages.len());
    for (uniform, columns) in [(false, 3), (false, 4), (true, 4)] {
        let ds = if uniform { dataset(true) } else { ds.clone() };
        let names: Vec<String> =
            ["visits", "revenue", "tenure", "discount"].iter().take(columns).map(|s| s.to_string()).collect();
        let options = ClusterOptions { columns: names, seed: Some(1), ..ClusterOptions::default() };
        let t = Instant::now();
        let result = builtin::clusters(&ds, &options).unwrap();
        let label = if uniform { "uniform" } else { "5 groups" };
        println!(
            "clusters (1M × {columns}, {label}, k chosen among 2..=8): {:?} → k = {}, iterations {}, silhouettes {:?}",
            t.elapsed(),
            result.k,
            result.iterations,
            result.silhouette.iter().map(|s| s.score.map(|x| (x * 1000.0).round() / 1000.0)).collect::<Vec<_>>()
        );
        let t = Instant::now();
        let fixed = builtin::clusters(&ds, &ClusterOptions { k: Some(5), ..options }).unwrap();
        println!("clusters (1M × {columns}, {label}, k = 5): {:?}, iterations {}", t.elapsed(), fixed.iterations);
    }
}
