//! Text functions, LIKE / ILIKE, tag lists (`HAS`) and unusual column names, on small hand-made tables whose
//! expected members are written out by hand from docs/segments.md (the DuckDB-checked random suites are in
//! tests/differential_segments.rs).

use std::sync::Arc;

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::types::Int8Type;
use arrow_array::{Array, ArrayRef, DictionaryArray, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use segmetry::ingest::Dataset;
use segmetry::segments::{Dialect, Rule, RuleOptions};
use segmetry::ErrorCode;

fn opts() -> RuleOptions {
    RuleOptions::with_reference_date("2026-11-01").unwrap()
}

const CITIES: [Option<&str>; 6] =
    [Some("Helsinki"), Some("HELSINKI"), Some(" helsinki "), Some("Espoo"), None, Some("Hel%")];

fn tags() -> ArrayRef {
    let mut b = ListBuilder::new(StringBuilder::new());
    for row in [
        vec![Some("VIP"), Some("gold")],
        vec![Some("ei-vip")],
        vec![],
        vec![Some(" vip "), None, Some("X")],
        vec![Some("x")],
        vec![],
    ] {
        for t in row {
            b.values().append_option(t);
        }
        b.append(true);
    }
    let mut a = b.finish();
    // Row 5: a null list.
    let (field, offsets, values, _) = a.clone().into_parts();
    let nulls = arrow_buffer::NullBuffer::from(vec![true, true, true, true, true, false]);
    a = arrow_array::ListArray::new(field, offsets, values, Some(nulls));
    Arc::new(a)
}

fn dataset() -> Dataset {
    let dict: DictionaryArray<Int8Type> = CITIES.into_iter().collect();
    let text_tags =
        StringArray::from(vec![Some("VIP, gold"), Some("ei-vip"), Some(""), Some(" vip ,x"), Some("x"), None]);
    let schema = Arc::new(Schema::new(vec![
        Field::new("City", DataType::Utf8, true),
        Field::new("city_dict", dict.data_type().clone(), true),
        Field::new("Tags", tags().data_type().clone(), true),
        Field::new("tag text", DataType::Utf8, true),
        Field::new("Sähkö \"posti\"", DataType::Utf8, true),
    ]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(StringArray::from(CITIES.to_vec())),
            Arc::new(dict),
            tags(),
            Arc::new(text_tags),
            Arc::new(StringArray::from(vec![Some("a@x.fi"), None, Some("b@y.se"), Some("c@x.fi"), None, None])),
        ],
    )
    .unwrap();
    Dataset::from_batches(schema, vec![batch]).unwrap()
}

fn rows(ds: &Dataset, rule: &str) -> Vec<usize> {
    let r = Rule::parse(rule, ds.schema(), &opts()).unwrap_or_else(|e| panic!("{rule}: {e}"));
    let bits = r.evaluate(ds).unwrap();
    (0..bits.len()).filter(|&i| bits.get(i)).collect()
}

#[test]
fn text_functions_and_patterns() {
    let ds = dataset();
    for col in ["City", "city_dict"] {
        assert_eq!(rows(&ds, &format!("lower(trim({col})) = 'helsinki'")), [0, 1, 2], "{col}");
        assert_eq!(rows(&ds, &format!("upper({col}) = upper('helsinki')")), [0, 1], "{col}");
        assert_eq!(rows(&ds, &format!("{col} LIKE 'Hel%'")), [0, 5], "{col}");
        assert_eq!(rows(&ds, &format!("{col} LIKE 'Hel!%' ESCAPE '!'")), [5], "{col}");
        assert_eq!(rows(&ds, &format!("{col} ILIKE '%helsinki%'")), [0, 1, 2], "{col}");
        assert_eq!(rows(&ds, &format!("{col} LIKE '_spoo'")), [3], "{col}");
        // Three-valued: the null city is in neither the pattern nor its negation.
        assert_eq!(rows(&ds, &format!("{col} NOT ILIKE '%helsinki%'")), [3, 5], "{col}");
    }
}

#[test]
fn tag_lists_and_comma_separated_text() {
    let ds = dataset();
    for col in ["Tags", "\"tag text\""] {
        assert_eq!(rows(&ds, &format!("{col} HAS 'vip'")), [0, 3], "{col}");
        assert_eq!(rows(&ds, &format!("{col} HAS ANY ('gold', 'X')")), [0, 3, 4], "{col}");
        assert_eq!(rows(&ds, &format!("{col} HAS ALL ('vip', 'GOLD')")), [0], "{col}");
        assert_eq!(rows(&ds, &format!("{col} NOT HAS 'vip'")), [1, 2, 4], "{col}");
    }
    let e = Rule::parse("Tags = 'vip'", ds.schema(), &opts()).unwrap_err();
    assert_eq!(e.code, ErrorCode::TypeMismatch);
    assert!(e.message.contains("Tags HAS 'vip'"), "{}", e.message);
    let e = Rule::parse("lower(Tags) HAS 'vip'", ds.schema(), &opts()).unwrap_err();
    assert_eq!(e.code, ErrorCode::TypeMismatch);
}

#[test]
fn unusual_column_names_everywhere() {
    let ds = dataset();
    let rule = Rule::parse("lower(\"Sähkö \"\"posti\"\"\") LIKE '%@x.fi'", ds.schema(), &opts()).unwrap();
    assert_eq!(rule.evaluate(&ds).unwrap().count(), 2);
    assert_eq!(rule.canonical(), "lower(\"Sähkö \"\"posti\"\"\") LIKE '%@x.fi'");
    assert_eq!(rule.to_sql(Dialect::DuckDb), "lower(\"Sähkö \"\"posti\"\"\") LIKE '%@x.fi' ESCAPE '\\'");
    assert_eq!(rule.to_sql(Dialect::Spark), "lower(`Sähkö \"posti\"`) LIKE '%@x.fi' ESCAPE '\\\\'");
    assert_eq!(rule.to_sql(Dialect::Postgres), "lower(\"Sähkö \"\"posti\"\"\") LIKE '%@x.fi' ESCAPE '\\'");
    let again = Rule::parse(rule.canonical(), ds.schema(), &opts()).unwrap();
    assert_eq!(again.expr_without_spans(), rule.expr_without_spans());
    let has = Rule::parse("\"tag text\" HAS ANY ('VIP', ' gold')", ds.schema(), &opts()).unwrap();
    assert_eq!(
        has.to_sql(Dialect::Postgres),
        "(regexp_split_to_array(lower(trim(\"tag text\")), ' *, *') && ARRAY['vip', 'gold']::text[])"
    );
    assert_eq!(
        has.to_sql(Dialect::Spark),
        "arrays_overlap(transform(split(`tag text`, ','), x -> lower(trim(x))), array('vip', 'gold'))"
    );
}

#[test]
fn list_columns_load_from_ipc() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/segments/tags.arrow");
    let ds = Dataset::from_ipc(std::fs::read(path).unwrap()).unwrap();
    assert_eq!(ds.num_rows(), 600);
    assert!(matches!(ds.schema().field(0).data_type(), DataType::List(_)));
    assert!(matches!(ds.schema().field(1).data_type(), DataType::LargeList(_)));
}

/// `segmentMembers(rule, { columns })`: the picked columns as text, members without the first column dropped and
/// counted (they were dropped silently before).
#[test]
fn member_table_with_picked_columns() {
    use segmetry::segments::export::member_table;
    let ds = dataset();
    let rule = Rule::parse("lower(trim(City)) = 'helsinki' OR Tags HAS 'x'", ds.schema(), &opts()).unwrap();
    let bits = rule.evaluate(&ds).unwrap();
    let cols = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let t = member_table(&ds, &bits, &cols(&["Sähkö \"posti\"", "City", "Tags"])).unwrap();
    assert_eq!(t.columns, cols(&["Sähkö \"posti\"", "City", "Tags"]));
    assert_eq!(t.dropped, 2, "rows 1 and 4 have no address");
    let text = |v: &[Option<&str>]| v.iter().map(|s| s.map(str::to_string)).collect::<Vec<_>>();
    assert_eq!(t.values[0], text(&[Some("a@x.fi"), Some("b@y.se"), Some("c@x.fi")]));
    assert_eq!(t.values[1], text(&[Some("Helsinki"), Some(" helsinki "), Some("Espoo")]));
    assert_eq!(t.values[2], text(&[Some("VIP, gold"), Some(""), Some(" vip , X")]));
    let e = member_table(&ds, &bits, &cols(&["nope"])).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownColumn);
}
