//! Built-in segmentations: options, validation, every supported column type, edge cases, NTILE properties.

use std::sync::Arc;

use arrow_array::builder::{Decimal128Builder, StringDictionaryBuilder};
use arrow_array::types::Int16Type;
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Date64Array, Float32Array, Float64Array, Int32Array, Int64Array, Int8Array,
    LargeStringArray, RecordBatch, StringArray, StringViewArray, TimestampMicrosecondArray,
    TimestampMillisecondArray, TimestampNanosecondArray, TimestampSecondArray, UInt64Array,
};
use arrow_schema::{Field, Schema};
use proptest::prelude::*;

use segmetry::ingest::{Dataset, ValueKind};
use segmetry::segments::builtin::ntile::ntile_sizes;
use segmetry::segments::builtin::values::{read_id, read_numeric, IdColumn};
use segmetry::segments::builtin::{
    self, ClusterOptions, LifecycleOptions, LifecycleThresholds, RfmOptions,
};
use segmetry::ErrorCode;

fn dataset(columns: Vec<(&str, ArrayRef)>) -> Dataset {
    let schema = Arc::new(Schema::new(
        columns.iter().map(|(name, array)| Field::new(*name, array.data_type().clone(), true)).collect::<Vec<_>>(),
    ));
    let batch = RecordBatch::try_new(schema.clone(), columns.into_iter().map(|(_, a)| a).collect()).unwrap();
    Dataset::from_batches(schema, vec![batch]).unwrap()
}

fn customers(days: Vec<Option<i32>>, orders: Vec<Option<i32>>, spent: Vec<Option<f64>>) -> Dataset {
    let n = days.len() as i64;
    dataset(vec![
        ("customer_id", Arc::new(Int64Array::from_iter_values(0..n))),
        ("last_order_days", Arc::new(Int32Array::from(days))),
        ("orders_count", Arc::new(Int32Array::from(orders))),
        ("total_spent", Arc::new(Float64Array::from(spent))),
        ("country", Arc::new(StringArray::from_iter_values((0..n).map(|_| "FI")))),
        ("last_order_date", Arc::new(Date32Array::from_iter_values((0..n as i32).map(|i| 19_000 + i)))),
    ])
}

#[test]
fn options_deserialize_camel_case_with_defaults() {
    let rfm: RfmOptions = serde_json::from_str(r#"{"recency": "days", "referenceDate": "2024-01-01"}"#).unwrap();
    assert_eq!(rfm.recency, "days");
    assert_eq!(rfm.frequency, "orders_count");
    assert_eq!(rfm.reference_date.as_deref(), Some("2024-01-01"));
    assert!(serde_json::from_str::<RfmOptions>(r#"{"recencyy": "days"}"#).is_err(), "typos are rejected");

    let life: LifecycleOptions =
        serde_json::from_str(r#"{"tenure": "first_order_days", "thresholds": {"loyalMinOrders": 10}}"#).unwrap();
    assert_eq!(life.thresholds.loyal_min_orders, 10);
    assert_eq!(life.thresholds.new_max_orders, 1);
    assert_eq!(life.thresholds.new_max_tenure_days, Some(30.0));
    assert_eq!(life.thresholds.lapsed_after_days, 180.0);
    let off: LifecycleThresholds = serde_json::from_str(r#"{"newMaxTenureDays": null}"#).unwrap();
    assert_eq!(off.new_max_tenure_days, None);

    let clusters: ClusterOptions =
        serde_json::from_str(r#"{"columns": ["a", "b"], "seed": 42, "maxIterations": 50, "sampleSize": 500}"#)
            .unwrap();
    assert_eq!(clusters.columns, ["a", "b"]);
    assert_eq!((clusters.seed, clusters.k, clusters.max_k), (Some(42), None, 8));
    assert_eq!((clusters.max_iterations, clusters.sample_size), (50, 500));
}

#[test]
fn numeric_reader_handles_every_supported_type() {
    let mut decimal = Decimal128Builder::new().with_precision_and_scale(10, 2).unwrap();
    decimal.append_value(12_345);
    decimal.append_null();
    decimal.append_value(-5);
    let mut negative_scale = Decimal128Builder::new().with_precision_and_scale(10, -3).unwrap();
    negative_scale.append_values(&[7, 0, -1], &[true, true, true]);
    let day_ms = 86_400_000i64;
    let ds = dataset(vec![
        ("i8", Arc::new(Int8Array::from(vec![Some(-128), None, Some(127)]))),
        ("u64", Arc::new(UInt64Array::from(vec![Some(u64::MAX), Some(0), None]))),
        ("f32", Arc::new(Float32Array::from(vec![Some(1.5), Some(f32::NAN), Some(f32::INFINITY)]))),
        ("dec", Arc::new(decimal.finish())),
        ("dec_neg", Arc::new(negative_scale.finish())),
        ("d32", Arc::new(Date32Array::from(vec![Some(19_782), None, Some(-1)]))),
        ("d64", Arc::new(Date64Array::from(vec![Some(day_ms * 3), Some(day_ms / 2), None]))),
        ("ts_s", Arc::new(TimestampSecondArray::from(vec![Some(86_400), None, Some(-43_200)]))),
        ("ts_ms", Arc::new(TimestampMillisecondArray::from(vec![Some(day_ms), Some(0), None]).with_timezone("+02:00"))),
        ("ts_us", Arc::new(TimestampMicrosecondArray::from(vec![Some(day_ms * 1000 * 2), None, None]))),
        ("ts_ns", Arc::new(TimestampNanosecondArray::from(vec![Some(day_ms * 1_000_000 / 4), None, None]).with_timezone("UTC"))),
        ("flag", Arc::new(BooleanArray::from(vec![true, false, true]))),
        ("text", Arc::new(StringArray::from(vec!["a", "b", "c"]))),
    ]);
    let read = |name: &str| read_numeric(&ds, name, "columns", "numbers").unwrap();
    assert_eq!(read("i8").values, vec![Some(-128.0), None, Some(127.0)]);
    assert_eq!(read("u64").values, vec![Some(u64::MAX as f64), Some(0.0), None]);
    assert_eq!(read("f32").values, vec![Some(1.5), None, None], "NaN and infinity read as null");
    assert_eq!(read("dec").values, vec![Some(123.45), None, Some(-0.05)]);
    assert_eq!(read("dec_neg").values, vec![Some(7000.0), Some(0.0), Some(-1000.0)]);
    let d32 = read("d32");
    assert_eq!((d32.kind, d32.values.clone()), (ValueKind::Date, vec![Some(19_782.0), None, Some(-1.0)]));
    assert_eq!(read("d64").values, vec![Some(3.0), Some(0.5), None]);
    let ts = read("ts_s");
    assert_eq!((ts.kind, ts.values.clone()), (ValueKind::Timestamp, vec![Some(1.0), None, Some(-0.5)]));
    assert_eq!(read("ts_ms").values, vec![Some(1.0), Some(0.0), None], "time zone does not shift the instant");
    assert_eq!(read("ts_us").values, vec![Some(2.0), None, None]);
    assert_eq!(read("ts_ns").values, vec![Some(0.25), None, None]);
    assert_eq!(read("i8").kind, ValueKind::Numeric);
    for (name, type_name) in [("flag", "bool"), ("text", "utf8")] {
        let err = read_numeric(&ds, name, "monetary", "an amount of money").unwrap_err();
        assert_eq!(err.code, ErrorCode::TypeMismatch);
        assert!(err.message.contains(type_name) && err.message.contains("`monetary`"), "{}", err.message);
        assert_eq!(err.subject.as_deref(), Some(name));
    }
    let err = read_numeric(&ds, "d33", "recency", "days").unwrap_err();
    assert_eq!(err.code, ErrorCode::UnknownColumn);
}

#[test]
fn id_reader_compares_like_sql() {
    let mut dict = StringDictionaryBuilder::<Int16Type>::new();
    dict.append_value("b");
    dict.append_null();
    dict.append_value("a");
    let ds = dataset(vec![
        ("dict", Arc::new(dict.finish())),
        ("large", Arc::new(LargeStringArray::from(vec![Some("é"), Some("z"), None]))),
        ("view", Arc::new(StringViewArray::from(vec![Some("10"), Some("9"), Some("a long string past twelve bytes")]))),
        ("big", Arc::new(UInt64Array::from(vec![u64::MAX, u64::MAX - 1, 0]))),
    ]);
    let order = |id: &IdColumn| {
        let mut rows = vec![0, 1, 2];
        rows.sort_by(|&a, &b| id.cmp_rows(a, b));
        rows
    };
    assert_eq!(order(&read_id(&ds, "dict").unwrap()), vec![2, 0, 1], "nulls last");
    assert_eq!(order(&read_id(&ds, "large").unwrap()), vec![1, 0, 2], "byte order: z < é");
    assert_eq!(order(&read_id(&ds, "view").unwrap()), vec![0, 1, 2], "text, not numbers");
    assert_eq!(order(&read_id(&ds, "big").unwrap()), vec![2, 1, 0], "exact beyond 2^53");
}

#[test]
fn rfm_edge_cases_never_panic() {
    // No rows at all.
    let empty = customers(vec![], vec![], vec![]);
    let result = builtin::rfm(&empty, &RfmOptions::default()).unwrap();
    assert_eq!((result.scored, result.prospects, result.unscored), (0, 0, 0));
    assert_eq!(result.segments.len(), 12, "11 groups + Prospects; no Unscored");
    // Only prospects.
    let ds = customers(vec![None, None], vec![Some(0), Some(0)], vec![Some(0.0), None]);
    let result = builtin::rfm(&ds, &RfmOptions::default()).unwrap();
    assert_eq!(result.prospects, 2);
    // Fewer than five scored customers: NTILE uses buckets 1..=n.
    let ds = customers(vec![Some(30), Some(10), Some(20)], vec![Some(1), Some(2), Some(3)], vec![Some(5.0); 3]);
    let result = builtin::rfm(&ds, &RfmOptions::default()).unwrap();
    assert_eq!(result.scores.recency, vec![1, 3, 2], "most recent (10 days) gets the highest score");
    assert_eq!(result.scores.frequency, vec![1, 2, 3]);
    assert_eq!(result.scores.monetary, vec![1, 2, 3], "all tied: row order");
    assert_eq!(result.quintiles.recency.len(), 3);
}

#[test]
fn rfm_ties_follow_id_order() {
    // Ten customers all tied on every value: NTILE splits them 2-2-2-2-2 in id order.
    let n = 10;
    let ds = dataset(vec![
        ("id", Arc::new(StringArray::from_iter_values((0..n).map(|i| format!("c{}", 9 - i))))),
        ("last_order_days", Arc::new(Int32Array::from(vec![5; n]))),
        ("orders_count", Arc::new(Int32Array::from(vec![2; n]))),
        ("total_spent", Arc::new(Float64Array::from(vec![10.0; n]))),
    ]);
    let options = RfmOptions { id: Some("id".into()), ..RfmOptions::default() };
    let result = builtin::rfm(&ds, &options).unwrap();
    // Row i has id c(9-i): ascending id = descending row.
    assert_eq!(result.scores.frequency, vec![5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    assert_eq!(result.scores.recency, result.scores.frequency, "DESC on a tie still breaks by id ASC");
    let by_row = builtin::rfm(&ds, &RfmOptions::default()).unwrap();
    assert_eq!(by_row.scores.frequency, vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
}

#[test]
fn rfm_validates_options() {
    let ds = customers(vec![Some(1)], vec![Some(1)], vec![Some(1.0)]);
    let err = |options: RfmOptions| builtin::rfm(&ds, &options).unwrap_err();
    let e = err(RfmOptions { recency: " ".into(), ..RfmOptions::default() });
    assert_eq!((e.code, e.subject.as_deref()), (ErrorCode::InvalidArgument, Some("recency")));
    let e = err(RfmOptions { monetary: "total_spend".into(), ..RfmOptions::default() });
    assert_eq!(e.code, ErrorCode::UnknownColumn);
    assert!(e.message.contains("did you mean `total_spent`"), "{}", e.message);
    let e = err(RfmOptions { frequency: "country".into(), ..RfmOptions::default() });
    assert_eq!(e.code, ErrorCode::TypeMismatch);
    let e = err(RfmOptions { frequency: "last_order_date".into(), ..RfmOptions::default() });
    assert_eq!(e.code, ErrorCode::TypeMismatch, "a date is not a number of orders");
    let e = err(RfmOptions { reference_date: Some("30/06/2024".into()), ..RfmOptions::default() });
    assert_eq!((e.code, e.subject.as_deref()), (ErrorCode::InvalidArgument, Some("referenceDate")));
    let e = err(RfmOptions { id: Some("customer".into()), ..RfmOptions::default() });
    assert_eq!(e.code, ErrorCode::UnknownColumn);
}

#[test]
fn lifecycle_rules_and_validation() {
    let ds = dataset(vec![
        ("orders_count", Arc::new(Int32Array::from(vec![Some(0), Some(1), Some(1), Some(3), Some(6), Some(6), None, Some(1)]))),
        ("last_order_days", Arc::new(Int32Array::from(vec![None, Some(5), Some(5), Some(20), Some(20), Some(200), Some(1), Some(5)]))),
        ("first_order_days", Arc::new(Int32Array::from(vec![None, Some(5), Some(90), Some(300), Some(400), Some(900), None, None]))),
    ]);
    let names = |options: &LifecycleOptions| -> Vec<(String, Vec<usize>)> {
        builtin::lifecycle(&ds, options)
            .unwrap()
            .into_iter()
            .map(|s| (s.name.clone(), s.members.iter_ones().collect()))
            .collect()
    };
    let plain = names(&LifecycleOptions::default());
    let expect = |v: &[(&str, &[usize])]| -> Vec<(String, Vec<usize>)> {
        v.iter().map(|(n, rows)| (n.to_string(), rows.to_vec())).collect()
    };
    assert_eq!(
        plain,
        expect(&[
            ("Prospect", &[0]),
            ("New", &[1, 2, 7]),
            ("Occasional", &[3]),
            ("Loyal", &[4]),
            ("Lapsed", &[5]),
            ("Unclassified", &[6]),
        ])
    );
    let with_tenure = names(&LifecycleOptions { tenure: Some("first_order_days".into()), ..Default::default() });
    assert_eq!(
        with_tenure,
        expect(&[
            ("Prospect", &[0]),
            ("New", &[1]),
            ("Occasional", &[2, 3]),
            ("Loyal", &[4]),
            ("Lapsed", &[5]),
            ("Unclassified", &[6, 7]),
        ])
    );
    let bad = |thresholds: LifecycleThresholds| {
        builtin::lifecycle(&ds, &LifecycleOptions { thresholds, ..Default::default() }).unwrap_err()
    };
    let base = LifecycleThresholds::default();
    let e = bad(LifecycleThresholds { loyal_min_orders: 1, ..base.clone() });
    assert_eq!(e.subject.as_deref(), Some("thresholds.loyalMinOrders"));
    let e = bad(LifecycleThresholds { new_max_orders: 0, ..base.clone() });
    assert_eq!(e.subject.as_deref(), Some("thresholds.newMaxOrders"));
    let e = bad(LifecycleThresholds { lapsed_after_days: f64::NAN, ..base.clone() });
    assert_eq!(e.subject.as_deref(), Some("thresholds.lapsedAfterDays"));
    let e = bad(LifecycleThresholds { new_max_tenure_days: Some(-1.0), ..base });
    assert_eq!((e.code, e.subject.as_deref()), (ErrorCode::InvalidArgument, Some("thresholds.newMaxTenureDays")));
    let e = builtin::lifecycle(&ds, &LifecycleOptions { tenure: Some("tenure".into()), ..Default::default() })
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownColumn);
}

#[test]
fn lifecycle_with_timestamps_compares_against_cutoffs() {
    let day = 86_400_000i64;
    let reference = 19_905i64; // 2024-07-01
    let ds = dataset(vec![
        ("orders_count", Arc::new(Int32Array::from(vec![2, 2, 2]))),
        (
            "last_order_at",
            Arc::new(
                TimestampMillisecondArray::from(vec![
                    (reference - 180) * day,     // exactly 180 days before: not lapsed
                    (reference - 180) * day - 1, // one millisecond earlier: lapsed
                    reference * day + 5,         // after the reference date: active
                ])
                .with_timezone("UTC"),
            ),
        ),
    ]);
    let options = LifecycleOptions {
        recency: "last_order_at".into(),
        reference_date: Some("2024-07-01".into()),
        ..Default::default()
    };
    let segments = builtin::lifecycle(&ds, &options).unwrap();
    let lapsed = segments.iter().find(|s| s.name == "Lapsed").unwrap();
    assert_eq!(lapsed.members.iter_ones().collect::<Vec<_>>(), vec![1]);
    assert_eq!(
        lapsed.sql.as_deref(),
        Some(r#""orders_count" > 0 AND "last_order_at" < TIMESTAMPTZ '2024-01-03 00:00:00+00'"#)
    );
}

#[test]
fn clusters_validate_options_and_degenerate_data() {
    let ds = dataset(vec![
        ("a", Arc::new(Float64Array::from(vec![Some(1.0), Some(1.0), Some(1.0), None]))),
        ("b", Arc::new(Float64Array::from(vec![Some(1.0), Some(2.0), Some(3.0), Some(4.0)]))),
        ("c", Arc::new(Float64Array::from(vec![Some(1.0), Some(1.0), Some(2.0), Some(2.0)]))),
    ]);
    let base = ClusterOptions { columns: vec!["b".into()], ..ClusterOptions::default() };
    let err = |options: ClusterOptions| builtin::clusters(&ds, &options).unwrap_err();
    for (options, subject) in [
        (ClusterOptions { columns: vec![], ..base.clone() }, "columns"),
        (ClusterOptions { columns: vec!["b".into(), "b".into()], ..base.clone() }, "columns"),
        (ClusterOptions { k: Some(1), ..base.clone() }, "k"),
        (ClusterOptions { k: Some(21), ..base.clone() }, "k"),
        (ClusterOptions { k: Some(5), ..base.clone() }, "k"),
        (ClusterOptions { max_k: 1, ..base.clone() }, "maxK"),
        (ClusterOptions { max_iterations: 0, ..base.clone() }, "maxIterations"),
        (ClusterOptions { sample_size: 5, ..base.clone() }, "sampleSize"),
        (ClusterOptions { columns: vec!["a".into()], ..base.clone() }, "columns"), // constant
        (ClusterOptions { columns: vec!["c".into()], k: Some(3), ..base.clone() }, "k"), // 2 distinct points
    ] {
        let e = err(options.clone());
        assert_eq!((e.code, e.subject.as_deref()), (ErrorCode::InvalidArgument, Some(subject)), "{options:?}: {e}");
    }
    // Two distinct points, k chosen: only k = 2 is possible.
    let result = builtin::clusters(&ds, &ClusterOptions { columns: vec!["c".into()], ..base.clone() }).unwrap();
    assert_eq!(result.k, 2);
    assert_eq!(result.clusters.iter().map(|c| c.size).collect::<Vec<_>>(), vec![2, 2]);
    assert_eq!(result.silhouette.len(), 2, "k = 2..=3 tried (rows − 1)");
    assert_eq!(result.silhouette[1].score, None, "k = 3 is impossible with 2 distinct points");
    // Nulls are unclustered.
    let result = builtin::clusters(&ds, &ClusterOptions { columns: vec!["a".into(), "b".into()], k: Some(2), ..base })
        .unwrap();
    assert_eq!((result.clustered, result.unclustered), (3, 1));
    assert_eq!(result.labels[3], 0);
    assert_eq!(result.segments.last().unwrap().name, "Unclustered");
    assert_eq!(result.warnings.len(), 1, "column a is constant over the clustered rows");
    let json = serde_json::to_value(&result).unwrap();
    assert!(json.get("stdDevs").is_some() && json["segments"][0].get("members").is_none());
}

fn naive_ntile(n: usize) -> Vec<usize> {
    // The SQL definition literally: row r (1-based) of n goes to bucket ceil(r * 5 / n) when n % 5 == 0; in
    // general the first n % 5 buckets get one extra row.
    if n == 0 {
        return Vec::new();
    }
    let buckets = n.min(5);
    (0..buckets).flat_map(|b| std::iter::repeat_n(b + 1, n / buckets + usize::from(b < n % buckets))).collect()
}

proptest! {
    #[test]
    fn rfm_scores_are_sql_ntile(
        values in prop::collection::vec((0i32..6, 1i32..4, prop::option::of(0i32..3), 0i64..8), 0..40)
    ) {
        let n = values.len();
        let ds = dataset(vec![
            ("id", Arc::new(Int64Array::from_iter_values(values.iter().map(|v| v.3)))),
            ("last_order_days", Arc::new(Int32Array::from_iter_values(values.iter().map(|v| v.0)))),
            ("orders_count", Arc::new(Int32Array::from_iter_values(values.iter().map(|v| v.1)))),
            ("total_spent", Arc::new(Int32Array::from(values.iter().map(|v| v.2).collect::<Vec<_>>()))),
        ]);
        let result = builtin::rfm(&ds, &RfmOptions { id: Some("id".into()), ..RfmOptions::default() }).unwrap();
        let scored: Vec<usize> = (0..n).filter(|&i| values[i].2.is_some()).collect();
        prop_assert_eq!(result.scored, scored.len());
        // Bucket sizes are NTILE's.
        let mut f_counts = vec![0usize; 5];
        for &i in &scored { f_counts[usize::from(result.scores.frequency[i]) - 1] += 1; }
        prop_assert_eq!(&f_counts, &ntile_sizes(scored.len(), 5));
        // Sorting by (value, id, row) and reading scores off gives the literal NTILE sequence.
        let mut order = scored.clone();
        order.sort_by_key(|&i| (values[i].1, values[i].3, i));
        let f_seq: Vec<usize> = order.iter().map(|&i| usize::from(result.scores.frequency[i])).collect();
        prop_assert_eq!(&f_seq, &naive_ntile(scored.len()));
        let mut order = scored.clone();
        order.sort_by_key(|&i| (std::cmp::Reverse(values[i].0), values[i].3, i));
        let r_seq: Vec<usize> = order.iter().map(|&i| usize::from(result.scores.recency[i])).collect();
        prop_assert_eq!(&r_seq, &naive_ntile(scored.len()));
        // Every row is in exactly the segment its index names.
        let total: usize = result.segments.iter().map(|s| s.size()).sum();
        prop_assert_eq!(total, n);
    }
}
