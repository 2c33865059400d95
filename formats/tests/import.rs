//! Typed CSV import (issue 11 §1): locale, time zones, type overrides, values that stay text, the import
//! report, errors for values a forced type cannot read, and very wide files. Expected values come from
//! scripts/gen_import_fixtures.py (Python's decimal, datetime and zoneinfo).
mod common;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Decimal128Type, Float64Type, Int64Type, TimestampMillisecondType, TimestampSecondType,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use common::{concat, read_ipc};
use segmetry_formats::{csv_to_ipc, type_name, Conversion, CsvOptions, ErrorCode, Locale, CELLS_PER_BATCH};
use serde_json::Value;

fn convert(text: &str, options: &CsvOptions) -> (RecordBatch, Conversion) {
    let c = csv_to_ipc(text.as_bytes(), options, None).unwrap_or_else(|e| panic!("conversion failed: {e}"));
    let (schema, batches) = read_ipc(&c.ipc);
    (concat(&schema, &batches), c)
}

fn options_of(case: &Value) -> CsvOptions {
    let o = &case["options"];
    CsvOptions {
        locale: o["locale"].as_str().map_or(Locale::Auto, |l| Locale::parse(l).unwrap()),
        time_zone: o["timeZone"].as_str().map(str::to_string),
        types: o["types"]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())).collect())
            .unwrap_or_default(),
        ..Default::default()
    }
}

/// The values of `array` as JSON, in the fixture's conventions.
fn json_values(array: &dyn Array) -> Vec<Value> {
    (0..array.len())
        .map(|i| {
            if array.is_null(i) {
                return Value::Null;
            }
            match array.data_type() {
                DataType::Utf8 => Value::from(array.as_string::<i32>().value(i)),
                DataType::Int64 => Value::from(array.as_primitive::<Int64Type>().value(i)),
                DataType::Float64 => Value::from(array.as_primitive::<Float64Type>().value(i)),
                DataType::Boolean => Value::from(array.as_boolean().value(i)),
                DataType::Date32 => Value::from(array.as_primitive::<Date32Type>().value(i)),
                DataType::Timestamp(TimeUnit::Second, _) => {
                    Value::from(array.as_primitive::<TimestampSecondType>().value(i))
                }
                DataType::Timestamp(TimeUnit::Millisecond, _) => {
                    Value::from(array.as_primitive::<TimestampMillisecondType>().value(i))
                }
                DataType::Decimal128(_, _) => Value::from(array.as_primitive::<Decimal128Type>().value(i).to_string()),
                other => panic!("no fixture convention for {other}"),
            }
        })
        .collect()
}

#[test]
fn every_case_matches_python() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/formats/import_cases.json"))
            .expect("run scripts/gen_import_fixtures.py");
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert!(cases.len() >= 20);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let (batch, c) = convert(case["csv"].as_str().unwrap(), &options_of(case));
        let want = case["columns"].as_object().unwrap();
        let mut got: Vec<&str> = batch.schema_ref().fields().iter().map(|f| f.name().as_str()).collect::<Vec<_>>();
        got.sort_unstable(); // serde_json's map is sorted by key
        assert_eq!(got, want.keys().map(String::as_str).collect::<Vec<_>>(), "{name}: columns");
        for (column, expect) in want {
            let array = batch.column_by_name(column).unwrap();
            assert_eq!(type_name(array.data_type()), expect["type"].as_str().unwrap(), "{name}: type of {column}");
            let values = json_values(array.as_ref());
            let expected = expect["values"].as_array().unwrap();
            assert_eq!(values.len(), expected.len(), "{name}: rows");
            for (i, (g, e)) in values.iter().zip(expected).enumerate() {
                assert_eq!(g, e, "{name}: {column} row {i}");
            }
        }
        let warnings: Vec<(String, String)> =
            c.warnings.iter().map(|w| (w.code.to_string(), w.column.clone().unwrap_or_default())).collect();
        let expected: Vec<(String, String)> = case["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| (w[0].as_str().unwrap().to_string(), w[1].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(warnings, expected, "{name}: warnings");
    }
}

#[test]
fn report_says_inferred_and_overridden() {
    let options = CsvOptions { types: vec![("zip".into(), "utf8".into())], ..Default::default() };
    let (_, c) = convert("zip,total\n33100,\"12,50 €\"\n", &options);
    let r: Vec<_> =
        c.reports.iter().map(|r| (r.name.as_str(), r.data_type.as_str(), r.inferred.as_str(), r.overridden)).collect();
    assert_eq!(r, [("zip", "utf8", "int64", true), ("total", "float64", "float64", false)]);
    let w = &c.warnings[0];
    assert_eq!((w.code, w.column.as_deref()), ("CURRENCY_REMOVED", Some("total")));
}

#[test]
fn warnings_name_the_column_and_give_examples() {
    let (_, c) = convert("Zip\n00100\n33100\n00100\n02600\n", &CsvOptions::default());
    let w = &c.warnings[0];
    assert_eq!(w.code, "LEADING_ZERO");
    assert_eq!(w.examples, ["00100", "02600"]);
    assert!(w.message.contains("'Zip'") && w.message.contains("types"), "{}", w.message);
}

#[test]
fn a_value_a_forced_type_cannot_read_is_an_error_with_line_column_and_value() {
    let options = CsvOptions { types: vec![("n".into(), "int64".into())], ..Default::default() };
    let e = csv_to_ipc(b"id,n\n1,\"two\nlines\"\n2,5\n3,12x\n", &options, None).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidCsv);
    assert_eq!((e.line, e.column), (Some(2), Some(2)), "{}", e.message);
    let options = CsvOptions { types: vec![("n".into(), "int64".into())], ..Default::default() };
    let e = csv_to_ipc(b"id,n\n1,4\n2,5\n3,12x\n", &options, None).unwrap_err();
    assert_eq!((e.line, e.column, e.subject.as_deref()), (Some(4), Some(2), Some("n")));
    assert!(e.message.contains("'12x'") && e.message.contains("int64"), "{}", e.message);

    for (ty, value) in [
        ("float64", "abc"),
        ("bool", "maybe"),
        ("date32", "2025-02-30"),
        ("timestamp", "16.9.2025 25:00"),
        ("decimal128(5, 2)", "1,005"),
        ("decimal128(4, 2)", "123,45"),
        ("timestamp[s]", "2025-01-01 10:00:00.5"),
    ] {
        let options = CsvOptions { types: vec![("v".into(), ty.into())], locale: Locale::Fi, ..Default::default() };
        let e = csv_to_ipc(format!("v\n\"{value}\"\n").as_bytes(), &options, None).unwrap_err();
        assert_eq!((e.code, e.line), (ErrorCode::InvalidCsv, Some(2)), "{ty}: {e}");
        assert!(e.message.contains(value), "{ty}: {}", e.message);
    }
}

#[test]
fn option_errors() {
    let bad = |options: CsvOptions, subject: &str| {
        let e = csv_to_ipc(b"a,b\n1,2\n", &options, None).unwrap_err();
        assert_eq!((e.code, e.subject.as_deref()), (ErrorCode::InvalidArgument, Some(subject)), "{e}");
        e
    };
    let e = bad(CsvOptions { types: vec![("c".into(), "int64".into())], ..Default::default() }, "types");
    assert!(e.message.contains("'a', 'b'"), "{}", e.message);
    bad(CsvOptions { types: vec![("a".into(), "int128".into())], ..Default::default() }, "types");
    bad(CsvOptions { types: vec![("a".into(), "timestamp[ms, Mars/Base]".into())], ..Default::default() }, "types");
    bad(CsvOptions { types: vec![("a".into(), "decimal128(40, 2)".into())], ..Default::default() }, "types");
    bad(CsvOptions { time_zone: Some("Europe/Atlantis".into()), ..Default::default() }, "timeZone");
    assert!(Locale::parse("xx").is_err());
    // Ambiguous numbers cannot be forced to float64 without a locale.
    let options = CsvOptions { types: vec![("a".into(), "float64".into())], ..Default::default() };
    let e = csv_to_ipc(b"a\n\"1,020\"\n", &options, None).unwrap_err();
    assert_eq!((e.code, e.subject.as_deref()), (ErrorCode::InvalidArgument, Some("locale")));
}

#[test]
fn old_wall_times_in_a_rule_zone_are_an_error_not_a_guess() {
    let options = CsvOptions { time_zone: Some("Europe/Helsinki".into()), ..Default::default() };
    let e = csv_to_ipc(b"t\n1990-06-01 12:00:00\n", &options, None).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidCsv);
    assert!(e.message.contains("1996"), "{}", e.message);
    // With an offset the value needs no rules.
    let (_, c) = convert("t\n1990-06-01 12:00:00+03:00\n", &options);
    assert_eq!(c.columns[0].1, "timestamp[s, Europe/Helsinki]");
}

/// Issue 14, defect 3: ~5,000 columns and one data row crashed the module (arrow-csv sized its buffers by
/// the batch size for every column). Work per batch is now bounded by columns × rows.
#[test]
fn very_wide_files_convert_in_bounded_batches() {
    for width in [5_000usize, 40_000] {
        let header: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
        let row: Vec<String> = (0..width).map(|i| (i % 10).to_string()).collect();
        let text = format!("{}\n{}\n{}\n", header.join(","), row.join(","), row.join(","));
        let (batch, c) = convert(&text, &CsvOptions::default());
        assert_eq!((batch.num_columns(), batch.num_rows()), (width, 2));
        assert_eq!(c.columns[7].1, "int64");
    }
    // Rows per batch shrink with the width.
    let width = 2_000;
    let header: Vec<String> = (0..width).map(|i| format!("c{i}")).collect();
    let mut text = header.join(",") + "\n";
    let rows = 2 * CELLS_PER_BATCH / width + 5;
    for _ in 0..rows {
        text.push_str(&",".repeat(width - 1));
        text.push('\n');
    }
    let c = csv_to_ipc(text.as_bytes(), &CsvOptions::default(), None).unwrap();
    let (_, batches) = read_ipc(&c.ipc);
    assert!(batches.iter().all(|b| b.num_rows() * width <= CELLS_PER_BATCH));
    assert_eq!(batches.iter().map(RecordBatch::num_rows).sum::<usize>(), rows);
}

/// A column mixing conventions is text, never an error or a wrong number; so is a column written in
/// another locale than the one given.
#[test]
fn mixed_or_foreign_conventions_stay_text() {
    let opts = |locale| CsvOptions { locale, ..Default::default() };
    for (text, locale, code) in [
        ("x\n\"1,020.50\"\n\"12,5\"\n", Locale::Auto, None),
        ("x\n9/16/2025\n16/9/2025\n", Locale::Auto, None),
        ("x\n\"12,50\"\n\"3,5\"\n", Locale::En, Some("LOCALE_MISMATCH")),
        ("x\n\"1,020.50\"\n", Locale::Fi, Some("LOCALE_MISMATCH")),
        ("x\n9/16/2025\n", Locale::Fi, Some("LOCALE_MISMATCH")),
    ] {
        let (_, c) = convert(text, &opts(locale));
        assert_eq!(c.columns[0].1, "utf8", "{text:?} under {locale:?}");
        assert_eq!(c.warnings.first().map(|w| w.code), code, "{text:?}: {:?}", c.warnings);
        if let Some(w) = c.warnings.first() {
            assert!(!w.examples.is_empty() && w.message.contains("locale"), "{}", w.message);
        }
    }
}
