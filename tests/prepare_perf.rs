//! Timings of `aggregate` and `join` on the shape `npm run bench:prepare` uses (5M orders of 1M customers keyed
//! by e-mail, then the 1M customers left-joined to the 1M groups), natively. Ignored by default (run in
//! release, CPU time so a shared machine does not skew it):
//!
//! ```sh
//! cargo test --release --test prepare_perf -- --ignored --nocapture
//! ```

use std::sync::Arc;
use std::time::Instant;

use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use segmetry::ingest::Dataset;
use segmetry::prepare::{aggregate, join, AggregateOptions, JoinHow, JoinOn, JoinOptions};

#[path = "common/cpu_time.rs"]
mod cpu_time;
use cpu_time::{since, thread_cpu};

fn timed<T>(label: &str, f: impl FnOnce() -> T) -> T {
    let (start, cpu) = (Instant::now(), thread_cpu());
    let out = f();
    eprintln!("{label}: {}", since(start, cpu));
    out
}

/// The bench's orders: customer ids skewed to low ids (bench/prepare-page.mjs's `generate`, another generator).
fn orders(n: usize, customers: usize) -> Dataset {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut rand = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut emails = Vec::with_capacity(n);
    let mut totals = Vec::with_capacity(n);
    for _ in 0..n {
        let c = ((customers as f64 * 1.1 * rand().powf(1.5)) as usize).min(customers - 1);
        emails.push(format!("customer{c}@example.fi"));
        totals.push((rand() * 20000.0).round() / 100.0);
    }
    let columns: Vec<ArrayRef> = vec![Arc::new(StringArray::from(emails)), Arc::new(Float64Array::from(totals))];
    table(&["email", "total"], columns)
}

fn customers(n: usize) -> Dataset {
    let emails: Vec<String> = (0..n).map(|c| format!("customer{c}@example.fi")).collect();
    let country: Vec<&str> = (0..n).map(|c| if c % 3 == 0 { "SE" } else { "FI" }).collect();
    table(&["email", "country"], vec![Arc::new(StringArray::from(emails)), Arc::new(StringArray::from(country))])
}

fn table(names: &[&str], columns: Vec<ArrayRef>) -> Dataset {
    let fields: Vec<Field> =
        names.iter().zip(&columns).map(|(n, c)| Field::new(*n, c.data_type().clone(), true)).collect();
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    Dataset::from_batches(schema, vec![batch]).unwrap()
}

#[test]
#[ignore]
fn aggregate_and_join_5m_orders() {
    let orders = orders(5_000_000, 1_000_000);
    let customers = customers(1_000_000);
    let options = AggregateOptions {
        by: "email".into(),
        values: vec![("orders".into(), "count()".into()), ("spent".into(), "sum(total)".into())],
        ..Default::default()
    };
    for _ in 0..3 {
        let groups = timed("aggregate 5M → 1M", || aggregate(&orders, &options).unwrap());
        let options = JoinOptions { on: JoinOn::Same("email".into()), how: JoinHow::Left, ..Default::default() };
        let joined = timed("left join 1M × 1M", || join(&customers, &groups, &options).unwrap());
        assert_eq!(joined.dataset.num_rows(), 1_000_000);
        assert_eq!(groups.schema().field(0).data_type(), &DataType::Utf8);
    }
}
