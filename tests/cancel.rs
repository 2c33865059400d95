//! Cooperative cancellation (`segmetry::cancel`): an installed interrupt stops each long operation at a
//! checkpoint with `CANCELLED`, and stopping leaves nothing half-done — the same dataset and segment cache then
//! give exactly the answer an uncancelled run gives, and a cancelled append adds no rows.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int32Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};

use segmetry::cancel::{with_interrupt, Interrupt, Phase};
use segmetry::ingest::{encode, Dataset};
use segmetry::metrics::{analyze, AnalysisOptions, SegmentSpec};
use segmetry::models::clv::{clv, ClvOptions};
use segmetry::prepare::{aggregate, AggregateOptions};
use segmetry::segments::builtin::{clusters, lifecycle, rfm, ClusterOptions, LifecycleOptions, RfmOptions};
use segmetry::segments::SegmentCache;
use segmetry::ErrorCode;

const BATCHES: usize = 3;
const BATCH_ROWS: usize = 70_000; // more than one 64 Ki-row metrics checkpoint per batch

fn dataset() -> Dataset {
    dataset_of(BATCHES, BATCH_ROWS)
}

fn dataset_of(batches: usize, batch_rows: usize) -> Dataset {
    let schema = Arc::new(Schema::new(vec![
        Field::new("variant", DataType::Int32, false),
        Field::new("converted", DataType::Boolean, false),
        Field::new("orders", DataType::Int32, false),
        Field::new("revenue", DataType::Float64, false),
    ]));
    let batches = (0..batches)
        .map(|b| {
            let rows = (b * batch_rows)..((b + 1) * batch_rows);
            let columns: Vec<ArrayRef> = vec![
                Arc::new(Int32Array::from_iter_values(rows.clone().map(|r| (r % 2) as i32))),
                Arc::new(BooleanArray::from_iter(rows.clone().map(|r| Some(r % 5 == 0)))),
                Arc::new(Int32Array::from_iter_values(rows.clone().map(|r| ((r * 7919) % 23) as i32))),
                Arc::new(Float64Array::from_iter_values(rows.map(|r| (r % 1000) as f64 / 10.0))),
            ];
            RecordBatch::try_new(schema.clone(), columns).unwrap()
        })
        .collect();
    Dataset::from_batches(schema, batches).unwrap()
}

fn options() -> AnalysisOptions {
    let mut options = AnalysisOptions { reference_date: Some("2025-01-01".into()), ..Default::default() };
    for k in 0..3 {
        options.segments.push((format!("s{k}"), SegmentSpec::Rule(format!("orders >= {k} OR revenue < {k}"))));
    }
    options
}

/// Cancels at the `stop_at`-th checkpoint; records every checkpoint's progress.
struct StopAt {
    stop_at: usize,
    seen: RefCell<Vec<(Phase, u64, u64)>>,
    asked: Cell<usize>,
}

impl StopAt {
    fn new(stop_at: usize) -> Rc<Self> {
        Rc::new(StopAt { stop_at, seen: RefCell::new(Vec::new()), asked: Cell::new(0) })
    }
}

impl Interrupt for StopAt {
    fn cancelled(&self) -> bool {
        self.asked.set(self.asked.get() + 1);
        self.asked.get() >= self.stop_at
    }
    fn progress(&self, phase: Phase, done: u64, total: u64) {
        self.seen.borrow_mut().push((phase, done, total));
    }
}

#[test]
fn analyze_stops_at_every_checkpoint_and_the_cache_stays_sound() {
    let ds = dataset();
    let want = analyze(&ds, &mut SegmentCache::default(), &options()).unwrap();

    // Count the checkpoints of a whole run and check their progress.
    let counter = StopAt::new(usize::MAX);
    let mut cache = SegmentCache::default();
    assert_eq!(with_interrupt(counter.clone(), || analyze(&ds, &mut cache, &options())).unwrap(), want);
    let seen = counter.seen.borrow().clone();
    let total = (BATCHES * BATCH_ROWS) as u64;
    let segments: Vec<_> = seen.iter().filter(|s| s.0 == Phase::Segments).collect();
    let metrics: Vec<_> = seen.iter().filter(|s| s.0 == Phase::Metrics).collect();
    assert_eq!(segments.len(), BATCHES, "one rule-evaluation checkpoint per record batch");
    assert!(metrics.len() >= BATCHES, "at least one metrics checkpoint per batch: {}", metrics.len());
    assert!(seen.iter().all(|&(_, done, t)| t == total && done < total));
    assert!(metrics.windows(2).all(|w| w[0].1 < w[1].1), "metrics progress increases");

    // Stop at each checkpoint in turn; the same cache must then answer exactly as a fresh run.
    for stop_at in 1..=seen.len() {
        let mut cache = SegmentCache::default();
        let err = with_interrupt(StopAt::new(stop_at), || analyze(&ds, &mut cache, &options())).unwrap_err();
        assert_eq!(err.code, ErrorCode::Cancelled, "checkpoint {stop_at}");
        assert!(err.message.contains("cancelled"), "{}", err.message);
        assert_eq!(analyze(&ds, &mut cache, &options()).unwrap(), want, "after a cancel at checkpoint {stop_at}");
    }
}

#[test]
fn a_cancelled_append_adds_nothing() {
    let mut ds = dataset();
    let bytes = encode::to_ipc(&ds).unwrap();
    let rows = ds.num_rows();
    let err = with_interrupt(StopAt::new(3), || ds.append_ipc(bytes.clone())).unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    assert_eq!(ds.num_rows(), rows);
    assert_eq!(ds.batches().len(), BATCHES);
    ds.append_ipc(bytes).unwrap();
    assert_eq!(ds.num_rows(), 2 * rows);
}

#[test]
fn clusters_and_prepare_stop_too() {
    let ds = dataset_of(2, 5_000);
    let options = ClusterOptions {
        columns: vec!["orders".into(), "revenue".into()],
        k: Some(3),
        seed: Some(1),
        ..Default::default()
    };
    let err = with_interrupt(StopAt::new(2), || clusters(&ds, &options)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    assert!(clusters(&ds, &options).is_ok());

    let by_orders = AggregateOptions {
        by: "orders".into(),
        normalize_key: Default::default(),
        where_rule: None,
        values: vec![("n".into(), "count()".into())],
        reference_date: None,
    };
    let err = with_interrupt(StopAt::new(1), || aggregate(&ds, &by_orders)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    assert_eq!(aggregate(&ds, &by_orders).unwrap().num_rows(), 23);
}

/// Customers for rfm, lifecycle and clv: the builtins' default column names, and BG/NBD inputs (x, t_x, T).
fn customers(rows: usize) -> Dataset {
    let schema = Arc::new(Schema::new(vec![
        Field::new("orders_count", DataType::Int32, false),
        Field::new("last_order_days", DataType::Int32, false),
        Field::new("total_spent", DataType::Float64, false),
        Field::new("x", DataType::Float64, false),
        Field::new("tx", DataType::Float64, false),
        Field::new("T", DataType::Float64, false),
    ]));
    let r = 0..rows;
    let columns: Vec<ArrayRef> = vec![
        Arc::new(Int32Array::from_iter_values(r.clone().map(|r| ((r * 7919) % 23) as i32))),
        Arc::new(Int32Array::from_iter_values(r.clone().map(|r| ((r * 104_729) % 700) as i32))),
        Arc::new(Float64Array::from_iter_values(r.clone().map(|r| ((r * 31) % 1000) as f64 / 10.0 + 5.0))),
        Arc::new(Float64Array::from_iter_values(r.clone().map(|r| (r % 7) as f64))),
        Arc::new(Float64Array::from_iter_values(r.clone().map(|r| if r % 7 == 0 { 0.0 } else { (r % 29) as f64 }))),
        Arc::new(Float64Array::from_iter_values(r.map(|r| 30.0 + (r % 11) as f64))),
    ];
    Dataset::from_batches(schema.clone(), vec![RecordBatch::try_new(schema, columns).unwrap()]).unwrap()
}

/// Runs `f` cancelled at its 1st, 2nd, … checkpoint until it finishes; every cancelled run must be CANCELLED, and
/// the first uncancelled one must equal the run without a hook. Returns how many checkpoints cancelled it.
fn stops_at_every_checkpoint<T: std::fmt::Debug>(f: impl Fn() -> segmetry::Result<T>, phase: Phase) -> usize {
    let reference = format!("{:?}", f().unwrap());
    for stop_at in 1.. {
        let hook = StopAt::new(stop_at);
        match with_interrupt(hook.clone(), &f) {
            Err(err) => {
                assert_eq!(err.code, ErrorCode::Cancelled, "{err}");
                assert!(hook.seen.borrow().iter().any(|(p, _, _)| *p == phase), "{:?}", hook.seen.borrow());
            }
            Ok(value) => {
                assert_eq!(format!("{value:?}"), reference, "after {} cancelled runs", stop_at - 1);
                return stop_at - 1;
            }
        }
    }
    unreachable!()
}

#[test]
fn rfm_lifecycle_and_the_clv_fit_stop_too() {
    let ds = customers(150_000); // three 64 Ki-row checkpoints per row loop
    let rfm_stops = stops_at_every_checkpoint(|| rfm(&ds, &RfmOptions::default()), Phase::Segments);
    assert!(rfm_stops >= 9, "rfm: {rfm_stops} checkpoints");
    let lifecycle_options = LifecycleOptions::default();
    let lifecycle_stops = stops_at_every_checkpoint(|| lifecycle(&ds, &lifecycle_options), Phase::Segments);
    assert!(lifecycle_stops >= 3, "lifecycle: {lifecycle_stops} checkpoints");

    let small = customers(2_000);
    let options = ClvOptions {
        frequency: Some("x".into()),
        recency: Some("tx".into()),
        t: Some("T".into()),
        monetary: Some("total_spent".into()),
        ..Default::default()
    };
    // one checkpoint per optimizer iteration of each start, then one after each model
    let err = with_interrupt(StopAt::new(5), || clv(&small, &options)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    let hook = StopAt::new(usize::MAX);
    let fitted = with_interrupt(hook.clone(), || clv(&small, &options)).unwrap();
    let fit_checkpoints = hook.seen.borrow().iter().filter(|(p, _, _)| *p == Phase::Fit).count();
    assert!(fit_checkpoints > 10, "{fit_checkpoints} fit checkpoints");
    // cancelled at the last checkpoint (after both fits) still CANCELLED; and the plain run is unchanged
    let err = with_interrupt(StopAt::new(hook.asked.get()), || clv(&small, &options)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    assert_eq!(format!("{:?}", clv(&small, &options).unwrap()), format!("{fitted:?}"));
}
