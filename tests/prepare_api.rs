//! aggregate / join edge cases on tiny hand-made tables: SQL null semantics, key normalization, error spans,
//! name clashes and fill values.

use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::*;
use arrow_schema::{DataType, Field, Schema};
use segmetry::ingest::Dataset;
use segmetry::prepare::{
    aggregate, join, join_right_columns, AggregateOptions, JoinHow, JoinOn, JoinOptions, NormalizeKey,
};
use segmetry::ErrorCode;

fn orders() -> Dataset {
    let schema = Arc::new(Schema::new(vec![
        Field::new("Email", DataType::Utf8, true),
        Field::new("Total", DataType::Float64, true),
        Field::new("Status", DataType::Utf8, true),
    ]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(StringArray::from(vec![
                Some(" A@x.fi"),
                Some("a@x.fi "),
                Some("b@x.fi"),
                None,
                Some("  "),
                Some("B@X.FI"),
            ])),
            Arc::new(Float64Array::from(vec![Some(10.0), None, None, Some(5.0), Some(1.0), Some(2.5)])),
            Arc::new(StringArray::from(vec![
                Some("paid"),
                Some("paid"),
                None,
                Some("paid"),
                Some("x"),
                Some("refunded"),
            ])),
        ],
    )
    .unwrap();
    Dataset::from_batches(schema, vec![batch]).unwrap()
}

fn agg(values: &[(&str, &str)], normalize: NormalizeKey) -> segmetry::Result<Dataset> {
    let options = AggregateOptions {
        by: "Email".into(),
        normalize_key: normalize,
        values: values.iter().map(|(n, e)| (n.to_string(), e.to_string())).collect(),
        reference_date: Some("2025-12-01".into()),
        ..Default::default()
    };
    aggregate(&orders(), &options)
}

fn col(ds: &Dataset, name: &str) -> ArrayRef {
    ds.batches()[0].column(ds.column_index(name).unwrap()).clone()
}

#[test]
fn nulls_follow_sql_and_blank_keys_are_missing() {
    let out = agg(
        &[("n", "count()"), ("t", "sum(Total)"), ("c", "count(Total)"), ("paid", "all(Status = 'paid')")],
        NormalizeKey::Email,
    )
    .unwrap();
    // a@x.fi, b@x.fi, then the null key (a null and a blank e-mail) last.
    let keys = col(&out, "Email");
    let keys: Vec<Option<&str>> = keys.as_string::<i32>().iter().collect();
    assert_eq!(keys, vec![Some("a@x.fi"), Some("b@x.fi"), None]);
    assert_eq!(col(&out, "n").as_primitive::<Int64Type>().values().to_vec(), vec![2, 2, 2]);
    let t = col(&out, "t");
    let t = t.as_primitive::<Float64Type>();
    assert_eq!((t.value(0), t.value(1), t.value(2)), (10.0, 2.5, 6.0));
    assert_eq!(col(&out, "c").as_primitive::<Int64Type>().values().to_vec(), vec![1, 1, 2]);
    // all(): a NULL status is not TRUE.
    let paid: Vec<Option<bool>> = col(&out, "paid").as_boolean().iter().collect();
    assert_eq!(paid, vec![Some(true), Some(false), Some(false)]);
    // Without normalization the spellings stay apart.
    assert_eq!(agg(&[("n", "count()")], NormalizeKey::None).unwrap().num_rows(), 6);
}

#[test]
fn sum_of_no_values_is_null() {
    let out = agg(&[("t", "sum_if(Total, Status = 'nope')")], NormalizeKey::Email).unwrap();
    assert_eq!(col(&out, "t").null_count(), 3);
}

#[test]
fn errors_carry_spans_in_the_value_expression() {
    let e = agg(&[("t", "sum(Totl)")], NormalizeKey::Email).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownColumn);
    assert_eq!(e.span, Some((4, 8)));
    assert!(e.message.starts_with("values.t: "), "{}", e.message);
    assert!(e.message.contains("did you mean `Total`?"), "{}", e.message);
    assert!(e.message.contains("  sum(Totl)\n      ^^^^"), "{}", e.message);

    let e = agg(&[("x", "count_if(Status = 'paid' AND Totl > 1)")], NormalizeKey::Email).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownColumn);
    assert_eq!(e.span, Some((29, 33)), "{}", e.message);

    let e = agg(&[("x", "sum(Status)")], NormalizeKey::Email).unwrap_err();
    assert_eq!(e.code, ErrorCode::TypeMismatch);
    assert_eq!(e.span, Some((4, 10)));

    let e = agg(&[("x", "median(Total)")], NormalizeKey::Email).unwrap_err();
    assert_eq!(e.code, ErrorCode::RuleSyntax);
    assert_eq!(e.span, Some((0, 6)));

    let e = agg(&[("Email", "count()")], NormalizeKey::Email).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
}

fn customers() -> Dataset {
    let schema =
        Arc::new(Schema::new(vec![Field::new("Email", DataType::Utf8, true), Field::new("t", DataType::Utf8, true)]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(StringArray::from(vec![Some("A@X.FI"), Some("c@x.fi"), None])),
            Arc::new(StringArray::from(vec![Some("left"), Some("left"), Some("left")])),
        ],
    )
    .unwrap();
    Dataset::from_batches(schema, vec![batch]).unwrap()
}

#[test]
fn left_join_fills_counts_with_zero_and_renames_clashes() {
    let right = agg(&[("n", "count()"), ("t", "sum(Total)")], NormalizeKey::Email).unwrap();
    let options = JoinOptions {
        on: JoinOn::Same("Email".into()),
        normalize_key: NormalizeKey::Email,
        right_name: Some("orders".into()),
        ..Default::default()
    };
    let j = join(&customers(), &right, &options).unwrap();
    assert_eq!((j.report.matched, j.report.unmatched_left), (1, 2));
    assert_eq!(col(&j.dataset, "n").as_primitive::<Int64Type>().values().to_vec(), vec![2, 0, 0]);
    let t = col(&j.dataset, "orders_t");
    assert_eq!(t.as_primitive::<Float64Type>().value(0), 10.0);
    assert_eq!(t.null_count(), 2);
    assert_eq!(col(&j.dataset, "t").as_string::<i32>().value(0), "left");

    let options = JoinOptions {
        suffix: Some("_o".into()),
        fill: [("t".to_string(), serde_json::from_str("-1").unwrap())].into(),
        ..options
    };
    let j = join(&customers(), &right, &options).unwrap();
    let t = col(&j.dataset, "t_o");
    assert_eq!(t.as_primitive::<Float64Type>().values().to_vec(), vec![10.0, -1.0, -1.0]);

    let bad = JoinOptions { fill: [("t".to_string(), serde_json::from_str("\"x\"").unwrap())].into(), ..options };
    assert_eq!(join(&customers(), &right, &bad).unwrap_err().code, ErrorCode::TypeMismatch);
}

#[test]
fn left_join_right_columns_beside_the_left_ones_are_the_join() {
    let right = agg(&[("n", "count()"), ("t", "sum(Total)")], NormalizeKey::Email).unwrap();
    let options = JoinOptions {
        on: JoinOn::Same("Email".into()),
        normalize_key: NormalizeKey::Email,
        fill: [("t".to_string(), serde_json::from_str("-1").unwrap())].into(),
        ..Default::default()
    };
    let left = customers();
    let names: Vec<String> = left.schema().fields().iter().map(|f| f.name().clone()).collect();
    // What the extras module gets: the left key only, and every left column's name.
    let key_only = {
        let schema = Arc::new(Schema::new(vec![left.schema().field(0).clone()]));
        let batch = RecordBatch::try_new(schema.clone(), vec![left.batches()[0].column(0).clone()]).unwrap();
        Dataset::from_batches(schema, vec![batch]).unwrap()
    };
    let part = join_right_columns(&key_only, &names, &right, &options).unwrap();
    let whole = join(&left, &right, &options).unwrap();
    assert_eq!(part.report, whole.report);
    let beside = left.with_columns_of(&part.dataset).unwrap();
    assert_eq!(beside.schema(), whole.dataset.schema());
    assert_eq!(beside.batches(), whole.dataset.batches());
    assert_eq!(part.dataset.schema().fields().len(), 2, "the right columns only (n, t_right)");

    let inner = JoinOptions { how: JoinHow::Inner, ..options };
    assert_eq!(join_right_columns(&key_only, &names, &right, &inner).unwrap_err().code, ErrorCode::Internal);
    assert!(right.with_columns_of(&part.dataset).is_err(), "rows that do not line up are refused");
}

#[test]
fn inner_join_and_key_errors() {
    let right = agg(&[("n", "count()")], NormalizeKey::Email).unwrap();
    let options = JoinOptions {
        on: JoinOn::Pair("Email".into(), "Email".into()),
        how: segmetry::prepare::JoinHow::Inner,
        normalize_key: NormalizeKey::Email,
        ..Default::default()
    };
    let j = join(&customers(), &right, &options).unwrap();
    assert_eq!(j.dataset.num_rows(), 1);
    let bad = JoinOptions { on: JoinOn::Same("Emial".into()), ..options };
    let e = join(&customers(), &right, &bad).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownColumn);
    assert_eq!(e.subject.as_deref(), Some("on"));
}
