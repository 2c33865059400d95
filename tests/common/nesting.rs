//! Rules at the nesting limit through every recursive path over the AST (parser, resolver, evaluator alone and
//! through the cache, canonical text and its re-parse, the SQL writer in every dialect, the analysis and its
//! warehouse SQL), and one level beyond it refused with a clear `RULE_SYNTAX`. Shared by the native test
//! (`tests/nesting_depth.rs`) and the wasm test binary (`tests/wasm_node.rs`), where the stack is 1 MiB and an
//! overflow traps the instance.

use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use segmetry::ingest::Dataset;
use segmetry::metrics::{analyze, AnalysisOptions};
use segmetry::scaleout::{sql_for_analysis, SqlOptions};
use segmetry::segments::parser::MAX_NESTING;
use segmetry::segments::{Dialect, Rule, RuleOptions, SegmentCache};
use segmetry::ErrorCode;

const ROWS: i64 = 200;

/// `x` 0..200, `flag` every third row, `variant` A/B, `converted`, `revenue`.
pub fn dataset() -> Dataset {
    let batch = RecordBatch::try_from_iter([
        ("x", Arc::new(Int64Array::from_iter_values(0..ROWS)) as ArrayRef),
        ("flag", Arc::new(BooleanArray::from_iter((0..ROWS).map(|i| Some(i % 3 == 0))))),
        ("variant", Arc::new(StringArray::from_iter_values((0..ROWS).map(|i| if i % 2 == 0 { "A" } else { "B" })))),
        ("converted", Arc::new(BooleanArray::from_iter((0..ROWS).map(|i| Some(i % 5 == 0))))),
        ("revenue", Arc::new(Float64Array::from_iter_values((0..ROWS).map(|i| i as f64)))),
    ])
    .unwrap();
    Dataset::from_batches(batch.schema(), vec![batch]).unwrap()
}

/// A rule shape: the rule text nested `n` levels deep.
type Shape = fn(usize) -> String;

/// `n` parentheses around `x > 1`.
pub fn parens(n: usize) -> String {
    format!("{}x > 1{}", "(".repeat(n), ")".repeat(n))
}

/// `n` NOTs before `flag`.
pub fn nots(n: usize) -> String {
    format!("{}flag", "NOT ".repeat(n))
}

/// `n` parentheses, each holding an OR of an AND: the deepest AST per nesting level (OR → AND → OR …).
pub fn or_and(n: usize) -> String {
    let mut s = "x > 1".to_string();
    for _ in 0..n {
        s = format!("(x < 0 OR flag AND {s})");
    }
    s
}

/// `n / 2` times `NOT (… OR …)`: NOT and parentheses alternating.
pub fn not_parens(n: usize) -> String {
    let mut s = "x > 1".to_string();
    for _ in 0..n / 2 {
        s = format!("NOT (x < 0 OR {s})");
    }
    s
}

fn count(ds: &Dataset, rule: &str) -> usize {
    let options = RuleOptions::with_reference_date("2026-11-01").unwrap();
    Rule::parse(rule, ds.schema(), &options).unwrap().evaluate(ds).unwrap().count()
}

/// Every path at `MAX_NESTING`; returns how many rules were checked.
pub fn deepest_rules_work_everywhere() -> usize {
    let ds = dataset();
    let options = RuleOptions::with_reference_date("2026-11-01").unwrap();
    let shapes: [(&str, Shape); 4] =
        [("parens", parens), ("nots", nots), ("or_and", or_and), ("not_parens", not_parens)];
    for (name, shape) in shapes {
        let text = shape(MAX_NESTING);
        let rule = Rule::parse(&text, ds.schema(), &options).unwrap_or_else(|e| panic!("{name}: {}", e.message));
        let direct = rule.evaluate(&ds).unwrap().count();
        let cached = SegmentCache::default().size(&ds, &rule).unwrap();
        assert_eq!(direct, cached, "{name}");
        let again = Rule::parse(rule.canonical(), ds.schema(), &options).unwrap();
        assert_eq!(again.canonical(), rule.canonical(), "{name}: canonical text is a fixed point");
        for dialect in [Dialect::DuckDb, Dialect::Spark, Dialect::Postgres] {
            assert!(!rule.to_sql(dialect).is_empty());
        }
        assert_eq!(rule.expr_without_spans(), again.expr_without_spans(), "{name}");
        let analysis: AnalysisOptions = serde_json::from_value(serde_json::json!({
            "segments": { name: text }, "referenceDate": "2026-11-01",
        }))
        .unwrap();
        analyze(&ds, &mut SegmentCache::default(), &analysis).unwrap_or_else(|e| panic!("{name}: {}", e.message));
        for dialect in [Dialect::DuckDb, Dialect::Spark, Dialect::Postgres] {
            let sql = SqlOptions { dialect, table: "t".into(), suppress_small_cells: false };
            sql_for_analysis(ds.schema(), &analysis, &sql).unwrap();
        }
    }
    // The answers are right, not only computed: an even number of NOTs is the identity.
    assert_eq!(count(&ds, &parens(MAX_NESTING)), count(&ds, "x > 1"));
    assert_eq!(count(&ds, &nots(MAX_NESTING)), count(&ds, "flag"));
    assert_eq!(count(&ds, &nots(MAX_NESTING - 1)), count(&ds, "NOT flag"));
    shapes.len()
}

/// One level deeper is a `RULE_SYNTAX` error naming the limit, in every shape and through the analysis.
pub fn one_level_deeper_is_refused() {
    let ds = dataset();
    let options = RuleOptions::with_reference_date("2026-11-01").unwrap();
    let too_deep = [parens(MAX_NESTING + 1), nots(MAX_NESTING + 1), or_and(MAX_NESTING + 1), parens(100_000)];
    for text in too_deep.iter().chain([&nots(100_000), &not_parens(MAX_NESTING + 2)]) {
        let err = Rule::parse(text, ds.schema(), &options).expect_err("too deep");
        assert_eq!(err.code, ErrorCode::RuleSyntax);
        assert!(err.message.contains(&format!("nested deeper than {MAX_NESTING}")), "{}", err.message);
        assert!(err.message.len() < 1_000, "the excerpt is a window, not the rule ({} bytes)", err.message.len());
        let analysis: AnalysisOptions = serde_json::from_value(serde_json::json!({
            "segments": { "deep": text }, "referenceDate": "2026-11-01",
        }))
        .unwrap();
        let err = analyze(&ds, &mut SegmentCache::default(), &analysis).expect_err("too deep");
        assert_eq!(err.code, ErrorCode::RuleSyntax);
    }
}
