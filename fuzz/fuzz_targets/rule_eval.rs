//! Rule evaluation against a random schema: `arbitrary` drives a random schema (every supported type), random
//! small batches (nulls, dictionaries with null/duplicate entries, sliced arrays, several batches) and a random
//! rule text; an accepted rule must evaluate — alone, with a second rule in one pass, and through the segment
//! cache — to exactly what the naive row-by-row evaluator (tests/common/naive_eval.rs) says.
#![no_main]
use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use segmetry::ingest::Dataset;
use segmetry::segments::{evaluate_many, Rule, RuleOptions, SegmentCache};

#[path = "../../tests/common/naive_eval.rs"]
mod naive_eval;
#[path = "../../tests/common/random_table.rs"]
mod random_table;

struct Arb<'a, 'b>(&'b mut Unstructured<'a>);

impl random_table::Source for Arb<'_, '_> {
    fn below(&mut self, n: u64) -> u64 {
        if n <= 1 {
            return 0;
        }
        self.0.int_in_range(0..=n - 1).unwrap_or(0)
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let mut src = Arb(&mut u);
    let schema = random_table::schema(&mut src);
    let batches = random_table::batches(&mut src, &schema);
    let texts = [random_table::rule(&mut src, &schema, 3), random_table::rule(&mut src, &schema, 2)];
    let ds = Dataset::from_batches(schema.clone(), batches.clone()).expect("generated batches are valid");
    let options = RuleOptions::with_reference_date(random_table::REFERENCE_DATE).unwrap();
    let rules: Vec<Rule> = texts.iter().filter_map(|t| Rule::parse(t, &schema, &options).ok()).collect();
    let mut expected = Vec::new();
    for rule in &rules {
        let got = rule.evaluate(&ds).expect("evaluate");
        assert_eq!(got.len(), ds.num_rows());
        let want = naive_eval::members(rule.expr(), &batches, options.reference_date);
        for (i, w) in want.iter().enumerate() {
            assert_eq!(got.get(i), *w, "row {i} of {:?} (canonical {:?}) on {schema:?}", rule.text(), rule.canonical());
        }
        let again = Rule::parse(rule.canonical(), &schema, &options).expect("canonical text parses");
        assert_eq!(again.expr_without_spans(), rule.expr_without_spans());
        expected.push(got);
    }
    let refs: Vec<&Rule> = rules.iter().collect();
    assert_eq!(evaluate_many(&refs, &ds).unwrap(), expected, "one pass differs from separate passes");
    let mut cache = SegmentCache::default();
    assert_eq!(cache.evaluate(&ds, &refs).unwrap(), expected, "cache differs");
    assert_eq!(cache.evaluate(&ds, &refs).unwrap(), expected, "cache hit differs");
});
