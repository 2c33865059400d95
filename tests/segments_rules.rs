//! Rule language: errors, canonical text, operators per type family, boundaries, incremental append.

use std::sync::Arc;

use arrow_array::builder::StringDictionaryBuilder;
use arrow_array::types::Int32Type;
use arrow_array::*;
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use segmetry::ingest::Dataset;
use segmetry::segments::{members, overlap, Dialect, Members, Rule, RuleOptions, SegmentCache};
use segmetry::ErrorCode;

fn opts() -> RuleOptions {
    RuleOptions::with_reference_date("2026-11-01").unwrap()
}

fn customers() -> Dataset {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/segments/customers.arrow");
    Dataset::from_ipc(std::fs::read(path).unwrap()).unwrap()
}

fn count(ds: &Dataset, rule: &str) -> usize {
    Rule::parse(rule, ds.schema(), &opts()).unwrap_or_else(|e| panic!("{rule}: {e}")).evaluate(ds).unwrap().count()
}

fn err(ds: &Dataset, rule: &str) -> segmetry::Error {
    Rule::parse(rule, ds.schema(), &opts()).expect_err(rule)
}

#[test]
fn unknown_column_has_span_caret_and_suggestion() {
    let ds = customers();
    let rule = "country IN ('FI', 'SE') AND order_count >= 3";
    let e = err(&ds, rule);
    assert_eq!(e.code, ErrorCode::UnknownColumn);
    assert_eq!(e.span, Some((28, 39)));
    assert!(e.message.contains("did you mean `orders_count`?"), "{}", e.message);
    assert!(e.message.contains(&format!("  {rule}\n  {}{}", " ".repeat(28), "^".repeat(11))), "{}", e.message);
    assert_eq!(e.subject.as_deref(), Some("order_count"));
}

#[test]
fn type_mismatches_explain_the_fix() {
    let ds = customers();
    let e = err(&ds, "orders_count >= '3'");
    assert_eq!(e.code, ErrorCode::TypeMismatch);
    assert_eq!(e.span, Some((16, 19)));
    assert!(e.message.contains("`orders_count` is int32"), "{}", e.message);
    assert!(e.message.contains("e.g. orders_count >= 3"), "{}", e.message);
    for (rule, span) in [
        ("country = 3", (10, 11)),
        ("signup_date > '2026-01-01'", (14, 26)),
        ("is_subscribed > TRUE", (16, 20)),
        ("orders_count", (0, 12)),
        ("orders_count CONTAINS '3'", (0, 12)),
        ("email CONTAINS 3", (15, 16)),
        ("last_seen >= 5", (13, 14)),
        ("score IN (1, 'a')", (13, 16)),
        ("\"first name\" >= -90d", (16, 20)),
    ] {
        let e = err(&ds, rule);
        assert_eq!(e.code, ErrorCode::TypeMismatch, "{rule}: {}", e.message);
        assert_eq!(e.span, Some(span), "{rule}: {}", e.message);
        assert!(e.message.contains('^'), "{}", e.message);
    }
}

#[test]
fn syntax_errors() {
    let ds = customers();
    for (rule, span) in [
        ("country IN ('FI' 'SE')", (17, 21)),
        ("orders_count >= ", (16, 16)),
        ("orders_count => 3", (14, 15)),
        ("country = 'FI", (10, 13)),
        ("signup_date > 2026-13-01", (14, 24)),
        ("(country = 'FI'", (15, 15)),
        ("country = NULL", (10, 14)),
        ("country LIKE 'F!' ESCAPE '!'", (13, 17)),
        ("country LIKE 'F%' ESCAPE '!!'", (25, 29)),
        ("country = FI", (10, 12)),
    ] {
        let e = err(&ds, rule);
        assert_eq!(e.code, ErrorCode::RuleSyntax, "{rule}: {}", e.message);
        assert_eq!(e.span, Some(span), "{rule}: {}", e.message);
    }
    assert_eq!(RuleOptions::with_reference_date("2026-02-30").unwrap_err().code, ErrorCode::InvalidArgument);
}

#[test]
fn canonical_round_trips() {
    let ds = customers();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/segments/rules.json");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut rules: Vec<String> = rows.iter().map(|r| r["rule"].as_str().unwrap().to_string()).collect();
    rules.extend(
        [
            "Country in ('FI','SE') and ORDERS_COUNT >= 3.0",
            "not not is_subscribed or (score > 1 and (tier = 1 or tier = 2))",
            "signup_date >= -90D AND last_seen < 2026-08-03T12:00+02:00",
            "\"first name\" <> 'x' OR email NOT ENDS WITH '.fi'",
        ]
        .map(String::from),
    );
    for text in rules {
        let a = Rule::parse(&text, ds.schema(), &opts()).unwrap();
        let b = Rule::parse(a.canonical(), ds.schema(), &opts()).unwrap();
        assert_eq!(a.canonical(), b.canonical(), "{text}");
        assert_eq!(a.expr_without_spans(), b.expr_without_spans(), "{text}");
        assert_eq!(a.evaluate(&ds).unwrap(), b.evaluate(&ds).unwrap(), "{text}");
    }
    let r = Rule::parse("Country in ('FI','SE') and ORDERS_COUNT >= 3.0", ds.schema(), &opts()).unwrap();
    assert_eq!(r.canonical(), "country IN ('FI', 'SE') AND orders_count >= 3");
    let r = Rule::parse("signup_date >= -90d", ds.schema(), &opts()).unwrap();
    assert_eq!(r.canonical(), "signup_date >= -90d");
    assert_eq!(r.to_sql(Dialect::DuckDb), "\"signup_date\" >= DATE '2026-08-03'");
}

#[test]
fn sql_dialects() {
    let ds = customers();
    let r = Rule::parse(
        "\"first name\" = 'O''Neil\\' AND email CONTAINS '50%' AND last_seen >= -90d",
        ds.schema(),
        &opts(),
    )
    .unwrap();
    assert_eq!(
        r.to_sql(Dialect::DuckDb),
        "\"first name\" = 'O''Neil\\' AND contains(\"email\", '50%') AND \"last_seen\" >= TIMESTAMPTZ '2026-08-03 00:00:00+00'"
    );
    assert_eq!(
        r.to_sql(Dialect::Spark),
        "`first name` = 'O\\'Neil\\\\' AND contains(`email`, '50%') AND `last_seen` >= TIMESTAMP '2026-08-03 00:00:00+00:00'"
    );
    assert_eq!(
        r.to_sql(Dialect::Postgres),
        "\"first name\" = 'O''Neil\\' AND (strpos(\"email\", '50%') > 0) AND \"last_seen\" >= TIMESTAMPTZ '2026-08-03 00:00:00+00'"
    );
    let r = Rule::parse("email < 'b' AND email ENDS WITH 'ë' AND event_ns > 2026-01-01", ds.schema(), &opts()).unwrap();
    assert_eq!(
        r.to_sql(Dialect::Postgres),
        "\"email\" COLLATE \"C\" < 'b' AND (right(\"email\", 1) = 'ë') AND \"event_ns\" > TIMESTAMP '2026-01-01 00:00:00'"
    );
    assert!(r.to_sql(Dialect::DuckDb).ends_with("\"event_ns\" > TIMESTAMP_NS '2026-01-01 00:00:00'"));
    assert!(r.to_sql(Dialect::Spark).ends_with("`event_ns` > TIMESTAMP_NTZ '2026-01-01 00:00:00'"));
}

fn one_column(name: &str, array: ArrayRef) -> Dataset {
    let schema: SchemaRef = Arc::new(Schema::new(vec![Field::new(name, array.data_type().clone(), true)]));
    let batch = RecordBatch::try_new(schema.clone(), vec![array]).unwrap();
    Dataset::from_batches(schema, vec![batch]).unwrap()
}

#[test]
fn int64_beyond_2_pow_53_is_exact() {
    let base = 1i64 << 53;
    let ds = one_column(
        "id",
        Arc::new(Int64Array::from(vec![Some(base), Some(base + 1), None, Some(i64::MAX), Some(i64::MIN)])),
    );
    assert_eq!(count(&ds, "id = 9007199254740993"), 1);
    assert_eq!(count(&ds, "id > 9007199254740992"), 2);
    assert_eq!(count(&ds, "id >= 9007199254740992.5"), 2);
    assert_eq!(count(&ds, "id != 9007199254740992"), 3);
    assert_eq!(count(&ds, "id <= 99999999999999999999999"), 4);
    assert_eq!(count(&ds, "id < -99999999999999999999999"), 0);
    assert_eq!(count(&ds, "id = 9223372036854775807"), 1);
    assert_eq!(count(&ds, "id IS NULL"), 1);
    let ds = one_column("u", Arc::new(UInt64Array::from(vec![u64::MAX, 0, 1 << 63])));
    assert_eq!(count(&ds, "u = 18446744073709551615"), 1);
    assert_eq!(count(&ds, "u > -1"), 3);
    assert_eq!(count(&ds, "u BETWEEN 1 AND 9223372036854775808"), 1);
}

#[test]
fn decimals_compare_in_scaled_integers() {
    let arr = Decimal128Array::from(vec![Some(1999), Some(2000), Some(-1), None, Some(99_999_999_999_999_999)])
        .with_precision_and_scale(18, 2)
        .unwrap();
    let ds = one_column("amount", Arc::new(arr));
    assert_eq!(count(&ds, "amount = 19.99"), 1);
    assert_eq!(count(&ds, "amount = 19.990"), 1);
    assert_eq!(count(&ds, "amount > 19.989999999999999999"), 3);
    assert_eq!(count(&ds, "amount < 19.999"), 2);
    assert_eq!(count(&ds, "amount = 19.991"), 0);
    assert_eq!(count(&ds, "amount BETWEEN -0.01 AND 20"), 3);
    assert_eq!(count(&ds, "amount >= 999999999999999.99"), 1);
}

#[test]
fn floats_follow_duckdb_nan_order() {
    let ds = one_column(
        "x",
        Arc::new(Float64Array::from(vec![Some(f64::NAN), Some(1.0), Some(-0.0), None, Some(f64::INFINITY)])),
    );
    assert_eq!(count(&ds, "x > 1"), 2);
    assert_eq!(count(&ds, "x >= 1"), 3);
    assert_eq!(count(&ds, "x < 1"), 1);
    assert_eq!(count(&ds, "x = 0"), 1);
    assert_eq!(count(&ds, "x != 1"), 3);
    assert_eq!(count(&ds, "NOT x <= 1"), 2);
    let ds = one_column("r", Arc::new(Float32Array::from(vec![0.1f32, 0.2, 0.3])));
    assert_eq!(count(&ds, "r = 0.1"), 1);
    assert_eq!(count(&ds, "r <= 0.3"), 3);
}

#[test]
fn three_valued_logic() {
    let ds = one_column("c", Arc::new(StringArray::from(vec![Some("US"), Some("FI"), None])));
    assert_eq!(count(&ds, "c != 'US'"), 1);
    assert_eq!(count(&ds, "NOT c = 'US'"), 1);
    assert_eq!(count(&ds, "c IS NULL OR c != 'US'"), 2);
    assert_eq!(count(&ds, "NOT (c = 'US' AND c = 'FI')"), 2);
    assert_eq!(count(&ds, "NOT (c = 'US' OR c = 'FI')"), 0);
    assert_eq!(count(&ds, "c NOT IN ('US')"), 1);
    assert_eq!(count(&ds, "NOT c IS NULL"), 2);
    let ds = one_column("b", Arc::new(BooleanArray::from(vec![Some(true), Some(false), None])));
    assert_eq!(count(&ds, "b"), 1);
    assert_eq!(count(&ds, "NOT b"), 1);
    assert_eq!(count(&ds, "b = FALSE OR b IS NULL"), 2);
    assert_eq!(count(&ds, "NOT (b AND b IS NOT NULL)"), 2);
}

#[test]
fn dictionary_columns_over_batches() {
    let schema: SchemaRef = Arc::new(Schema::new(vec![Field::new(
        "plan",
        DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
        true,
    )]));
    let mut batches = Vec::new();
    for chunk in [vec![Some("pro"), None, Some("free")], vec![Some("team"), Some("pro"), Some("pro"), None]] {
        let mut b = StringDictionaryBuilder::<Int32Type>::new();
        for v in chunk {
            b.append_option(v);
        }
        batches.push(RecordBatch::try_new(schema.clone(), vec![Arc::new(b.finish())]).unwrap());
    }
    let ds = Dataset::from_batches(schema, batches).unwrap();
    assert_eq!(count(&ds, "plan = 'pro'"), 3);
    assert_eq!(count(&ds, "plan != 'pro'"), 2);
    assert_eq!(count(&ds, "plan STARTS WITH 't' OR plan IS NULL"), 3);
    assert_eq!(count(&ds, "plan > 'free'"), 4);
    let bits = Rule::parse("plan = 'pro'", ds.schema(), &opts()).unwrap().evaluate(&ds).unwrap();
    assert_eq!(members(&ds, &bits, None).unwrap(), Members::Rows(vec![0, 4, 5]));
    assert_eq!(members(&ds, &bits, Some("plan")).unwrap(), Members::Text(vec!["pro".into(); 3]));
}

#[test]
fn timestamps_in_every_unit_with_and_without_tz() {
    // 2026-08-03T00:00:00Z = 1785715200 s.
    let s = 1_785_715_200i64;
    let cases: Vec<(ArrayRef, i64)> = vec![
        (Arc::new(TimestampSecondArray::from(vec![s - 1, s, s + 1])), 1),
        (Arc::new(TimestampMillisecondArray::from(vec![s * 1000 - 1, s * 1000, s * 1000 + 1])), 1000),
        (
            Arc::new(
                TimestampMicrosecondArray::from(vec![s * 1_000_000 - 1, s * 1_000_000, s * 1_000_000 + 1])
                    .with_timezone("Asia/Tokyo"),
            ),
            1_000_000,
        ),
        (
            Arc::new(
                TimestampNanosecondArray::from(vec![s * 1_000_000_000 - 1, s * 1_000_000_000, s * 1_000_000_000 + 1])
                    .with_timezone("UTC"),
            ),
            1_000_000_000,
        ),
    ];
    for (array, _) in cases {
        let ds = one_column("t", array);
        assert_eq!(count(&ds, "t >= 2026-08-03"), 2);
        assert_eq!(count(&ds, "t < 2026-08-03T00:00:00Z"), 1);
        assert_eq!(count(&ds, "t = 2026-08-03T03:00:00+03:00"), 1);
        assert_eq!(count(&ds, "t >= -90d"), 2);
        assert_eq!(count(&ds, "t BETWEEN 2026-08-02T23:59:59Z AND 2026-08-03"), 2);
        assert_eq!(count(&ds, "t > 2026-08-02T23:59:59.9999999999Z".replace("9999999999", "999999999").as_str()), 2);
    }
    // ns overflow: far-away dates saturate instead of wrapping.
    let ds = one_column("t", Arc::new(TimestampNanosecondArray::from(vec![i64::MIN, 0, i64::MAX])));
    assert_eq!(count(&ds, "t < 1000-01-01"), 0);
    assert_eq!(count(&ds, "t > 9999-12-31"), 0);
    assert_eq!(count(&ds, "t >= 1677-09-21"), 3);
    assert_eq!(count(&ds, "t >= 1677-09-22"), 2);
    let ds = one_column("d", Arc::new(Date32Array::from(vec![i32::MIN, 0, i32::MAX])));
    assert_eq!(count(&ds, "d >= 1970-01-01T00:00:00.000000001Z"), 1);
    let ds = one_column("d", Arc::new(Date64Array::from(vec![0, 86_400_000, 86_400_000 + 5])));
    assert_eq!(count(&ds, "d = 1970-01-02"), 2);
    let _ = TimeUnit::Second;
}

#[test]
fn members_and_overlap() {
    let ds = customers();
    let rules = ["country = 'FI'", "orders_count >= 3", "is_subscribed"];
    let bitmaps: Vec<_> =
        rules.iter().map(|r| Rule::parse(r, ds.schema(), &opts()).unwrap().evaluate(&ds).unwrap()).collect();
    let m = overlap(&bitmaps);
    for i in 0..3 {
        assert_eq!(m[i][i], bitmaps[i].count());
        for j in 0..3 {
            assert_eq!(m[i][j], count(&ds, &format!("({}) AND ({})", rules[i], rules[j])));
        }
    }
    let ids = members(&ds, &bitmaps[0], Some("customer_id")).unwrap();
    let Members::I64(ids) = ids else { panic!() };
    assert_eq!(ids.len(), count(&ds, "country = 'FI' AND customer_id IS NOT NULL"));
    assert!(ids.iter().all(|id| *id > 1 << 53));
    assert!(matches!(members(&ds, &bitmaps[0], Some("first name")).unwrap(), Members::Text(_)));
    assert_eq!(members(&ds, &bitmaps[0], Some("custmer_id")).unwrap_err().code, ErrorCode::UnknownColumn);
    assert_eq!(members(&ds, &bitmaps[0], Some("signup_date")).unwrap_err().code, ErrorCode::TypeMismatch);
}

fn ipc_bytes(schema: &SchemaRef, batches: &[RecordBatch]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = arrow_ipc::writer::StreamWriter::try_new(&mut out, schema).unwrap();
        for b in batches {
            w.write(b).unwrap();
        }
        w.finish().unwrap();
    }
    out
}

#[test]
fn incremental_append_equals_full_recompute() {
    let full = customers();
    let schema = full.schema().clone();
    // Uneven batch sizes so appended rows start mid-word.
    let mut pieces = Vec::new();
    for b in full.batches() {
        pieces.push(b.slice(0, 37));
        pieces.push(b.slice(37, b.num_rows() - 37));
    }
    let mut ds = Dataset::from_batches(schema.clone(), pieces[..3].to_vec()).unwrap();
    let texts = [
        "country IN ('FI', 'SE') AND orders_count >= 3",
        "NOT (score > 1 OR email CONTAINS 'gmail')",
        "signup_date >= -90d",
    ];
    let rules: Vec<Rule> = texts.iter().map(|t| Rule::parse(t, &schema, &opts()).unwrap()).collect();
    let refs: Vec<&Rule> = rules.iter().collect();
    let mut cache = SegmentCache::default();
    cache.evaluate(&ds, &refs[..2]).unwrap();
    for step in [3..4, 4..7, 7..8] {
        ds.append_ipc(ipc_bytes(&schema, &pieces[step])).unwrap();
        let cached = cache.evaluate(&ds, &refs).unwrap();
        for (rule, bits) in rules.iter().zip(cached) {
            assert_eq!(bits, rule.evaluate(&ds).unwrap(), "{}", rule.text());
            assert_eq!(bits.len(), ds.num_rows());
        }
    }
    assert_eq!(cache.len(), 3);
    assert_eq!(cache.size(&ds, &rules[0]).unwrap(), count(&full, texts[0]));
}

#[test]
fn garbage_never_panics() {
    let ds = customers();
    let pieces = [
        "country",
        "=",
        "'FI'",
        "(",
        ")",
        "AND",
        "OR",
        "NOT",
        "IN",
        "BETWEEN",
        "-90d",
        "2026-02-29",
        "9e9",
        "\"",
        "'",
        "IS",
        "NULL",
        ",",
        "é",
        "orders_count",
        "1.",
        "-",
        "2026-08-03T",
        "+02:00",
        "STARTS",
        "WITH",
        "today",
        "<>",
        "!",
    ];
    let mut state = 12345u64;
    for _ in 0..20_000 {
        let mut rule = String::new();
        for _ in 0..(state % 7 + 1) {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            rule.push_str(pieces[(state >> 33) as usize % pieces.len()]);
            if state & 1 == 0 {
                rule.push(' ');
            }
        }
        if let Ok(r) = Rule::parse(&rule, ds.schema(), &opts()) {
            let _ = r.to_sql(Dialect::Postgres);
            r.evaluate(&ds).unwrap();
        }
    }
}

/// A built-in's `.sql` is a rule too (it uses SQL typed literals such as `TIMESTAMPTZ '… +00'`), with the same
/// members.
#[test]
fn builtin_sql_parses_as_a_rule() {
    let ds = customers();
    for recency in ["last_seen", "signup_date", "event_ns"] {
        let options = segmetry::segments::builtin::LifecycleOptions {
            recency: recency.into(),
            reference_date: Some("2026-11-01".into()),
            ..Default::default()
        };
        for stage in segmetry::segments::builtin::lifecycle(&ds, &options).unwrap() {
            let sql = stage.sql.as_deref().unwrap();
            let rule = Rule::parse(sql, ds.schema(), &opts()).unwrap_or_else(|e| panic!("{sql}: {e}"));
            assert_eq!(rule.evaluate(&ds).unwrap(), stage.members, "{recency} {}: {sql}", stage.name);
        }
    }
    // Typed literals in the rule language directly.
    assert_eq!(count(&ds, "signup_date >= DATE '2026-01-01'"), count(&ds, "signup_date >= 2026-01-01"));
    assert_eq!(
        count(&ds, "last_seen < TIMESTAMPTZ '2026-08-03 12:00:00+00'"),
        count(&ds, "last_seen < 2026-08-03T12:00:00Z")
    );
    assert_eq!(err(&ds, "signup_date = DATE 'soon'").code, ErrorCode::RuleSyntax);
}

/// `segmentOverlap` entries may be built-in segmentations: one bitmap per group, in the built-in's order, counted
/// from the rule options' reference date.
#[test]
fn overlap_accepts_builtins() {
    use segmetry::metrics::{BuiltinSpec, SegmentSpec};
    use segmetry::segments::builtin::{lifecycle, LifecycleOptions};
    let ds = customers();
    let options = LifecycleOptions { recency: "last_seen".into(), ..Default::default() };
    let entries = vec![
        SegmentSpec::Rule("orders_count >= 2".into()),
        SegmentSpec::Builtin(BuiltinSpec::Lifecycle(options.clone())),
    ];
    let mut cache = segmetry::segments::SegmentCache::default();
    let got = segmetry::segments::overlap::entry_bitmaps(&ds, &mut cache, &entries, &opts()).unwrap();
    let dated = LifecycleOptions { reference_date: Some("2026-11-01".into()), ..options };
    let stages = lifecycle(&ds, &dated).unwrap();
    assert_eq!(got.len(), 1 + stages.len());
    assert_eq!(got[0].count(), count(&ds, "orders_count >= 2"));
    for (bits, stage) in got[1..].iter().zip(&stages) {
        assert_eq!(bits, &stage.members, "{}", stage.name);
    }
}

/// A type mismatch on a text column suggests one of its real values (it suggested 'FI' for every text column).
#[test]
fn text_mismatch_suggests_a_real_value() {
    let ds = customers();
    let e = Rule::parse_for("email = 3", &ds, &opts()).unwrap_err();
    assert_eq!(e.code, ErrorCode::TypeMismatch);
    assert!(e.message.contains("e.g. email = 'it''s@gmail.com'"), "{}", e.message);
    let e = Rule::parse_for("\"first name\" >= 2026-01-01", &ds, &opts()).unwrap_err();
    assert!(e.message.contains("e.g. \"first name\" = 'Bo'"), "{}", e.message);
}
