//! Member counts checked against DuckDB (see scripts/gen_segment_fixtures.py for how the fixtures are made).
//!
//! * `rules.json`: each rule's count equals DuckDB's count for an independently hand-written WHERE clause.
//! * `to_sql.json` / `to_sql_counts.json`: the SQL our `to_sql(DuckDb)` wrote when the fixtures were made, and
//!   DuckDB's count for it. The test asserts the current `to_sql` text is unchanged (drift is caught) and that
//!   DuckDB's count for it equals the evaluator's.

use std::collections::BTreeMap;
use std::path::PathBuf;

use segmetry::ingest::Dataset;
use segmetry::segments::{evaluate_many, Dialect, Rule, RuleOptions, SegmentCache};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/segments")
}

fn dataset() -> Dataset {
    Dataset::from_ipc(std::fs::read(dir().join("customers.arrow")).unwrap()).unwrap()
}

fn options() -> RuleOptions {
    RuleOptions::with_reference_date("2026-11-01").unwrap()
}

#[derive(serde::Deserialize)]
struct Case {
    rule: String,
    sql: String,
    count: usize,
}

fn cases(file: &str) -> Vec<Case> {
    let text = std::fs::read_to_string(dir().join(file)).unwrap();
    let rows: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    rows.into_iter()
        .map(|r| Case {
            rule: r["rule"].as_str().unwrap().to_string(),
            sql: r["sql"].as_str().unwrap().to_string(),
            count: r["count"].as_u64().unwrap() as usize,
        })
        .collect()
}

#[test]
fn counts_match_duckdb_hand_written_sql() {
    let ds = dataset();
    let cases = cases("rules.json");
    assert!(cases.len() >= 50);
    let mut failures = Vec::new();
    for case in &cases {
        let rule = Rule::parse(&case.rule, ds.schema(), &options()).unwrap_or_else(|e| panic!("{}: {e}", case.rule));
        let got = rule.evaluate(&ds).unwrap().count();
        if got != case.count {
            failures.push(format!("{}: evaluator {got}, DuckDB {} for {}", case.rule, case.count, case.sql));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn one_pass_equals_separate_passes_and_cache() {
    let ds = dataset();
    let cases = cases("rules.json");
    let rules: Vec<Rule> = cases.iter().map(|c| Rule::parse(&c.rule, ds.schema(), &options()).unwrap()).collect();
    let refs: Vec<&Rule> = rules.iter().collect();
    let together = evaluate_many(&refs, &ds).unwrap();
    let mut cache = SegmentCache::default();
    let cached = cache.evaluate(&ds, &refs).unwrap();
    for ((rule, bits), cached) in rules.iter().zip(&together).zip(&cached) {
        assert_eq!(&rule.evaluate(&ds).unwrap(), bits, "{}", rule.text());
        assert_eq!(bits, cached);
    }
}

#[test]
fn to_sql_is_unchanged_and_duckdb_agrees() {
    let ds = dataset();
    let stored = cases("to_sql_counts.json");
    let rules = cases("rules.json");
    assert_eq!(stored.len(), rules.len(), "regenerate: see scripts/gen_segment_fixtures.py");
    let mut failures = Vec::new();
    for case in &stored {
        let rule = Rule::parse(&case.rule, ds.schema(), &options()).unwrap();
        let sql = rule.to_sql(Dialect::DuckDb);
        if sql != case.sql {
            failures.push(format!("{}: to_sql changed\n  now:    {sql}\n  stored: {}", case.rule, case.sql));
        }
        let got = rule.evaluate(&ds).unwrap().count();
        if got != case.count {
            failures.push(format!("{}: evaluator {got}, DuckDB {} for our SQL {}", case.rule, case.count, case.sql));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Writes tests/fixtures/segments/to_sql.json: `cargo test --test segments_duckdb -- --ignored write_to_sql`.
#[test]
#[ignore]
fn write_to_sql() {
    let ds = dataset();
    let mut out = BTreeMap::new();
    for case in cases("rules.json") {
        let rule = Rule::parse(&case.rule, ds.schema(), &options()).unwrap();
        out.insert(case.rule.clone(), rule.to_sql(Dialect::DuckDb));
    }
    let text = serde_json::to_string_pretty(&out).unwrap();
    std::fs::write(dir().join("to_sql.json"), text + "\n").unwrap();
}
