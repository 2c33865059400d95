//! The segment-rule parser on arbitrary text, against the schema of tests/fixtures/segments/customers.arrow
//! (every column type). Errors must be rule errors with a span on char boundaries inside the text; accepted
//! rules must round-trip through canonical text, print SQL in every dialect, and evaluate over the fixture to
//! exactly what the naive row-by-row evaluator says.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use segmetry::ingest::Dataset;
use segmetry::segments::{Dialect, Rule, RuleOptions};
use segmetry::ErrorCode;

#[path = "../../tests/common/naive_eval.rs"]
mod naive_eval;

fn dataset() -> &'static Dataset {
    static DS: OnceLock<Dataset> = OnceLock::new();
    DS.get_or_init(|| {
        let bytes = include_bytes!("../../tests/fixtures/segments/customers.arrow");
        // The first batch keeps each run fast; it has every type, nulls and the boundary values.
        let ds = Dataset::from_ipc(bytes.to_vec()).unwrap();
        Dataset::from_batches(ds.schema().clone(), vec![ds.batches()[0].slice(0, 300)]).unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let ds = dataset();
    let options = RuleOptions::with_reference_date("2026-11-01").unwrap();
    let _ = segmetry::segments::parser::parse(text);
    match Rule::parse(text, ds.schema(), &options) {
        Err(e) => {
            assert!(
                matches!(e.code, ErrorCode::RuleSyntax | ErrorCode::UnknownColumn | ErrorCode::TypeMismatch),
                "{text:?}: unexpected {:?}: {}",
                e.code,
                e.message
            );
            let (a, b) = e.span.expect("rule errors carry a span");
            assert!(a <= b && b <= text.len() && text.is_char_boundary(a) && text.is_char_boundary(b), "{text:?}: span {a}..{b}");
        }
        Ok(rule) => {
            let again = Rule::parse(rule.canonical(), ds.schema(), &options)
                .unwrap_or_else(|e| panic!("canonical {:?} of {text:?} does not parse: {}", rule.canonical(), e.message));
            assert_eq!(again.canonical(), rule.canonical(), "canonical text is not a fixed point for {text:?}");
            assert_eq!(again.expr_without_spans(), rule.expr_without_spans(), "canonical of {text:?} is another rule");
            for dialect in [Dialect::DuckDb, Dialect::Spark, Dialect::Postgres] {
                assert!(!rule.to_sql(dialect).is_empty());
            }
            let _ = rule.is_relative();
            let got = rule.evaluate(ds).expect("evaluate");
            {
                let want = naive_eval::members(rule.expr(), ds.batches(), options.reference_date);
                for (i, w) in want.iter().enumerate() {
                    assert_eq!(got.get(i), *w, "row {i} of {text:?} (canonical {:?})", rule.canonical());
                }
            }
        }
    }
});
