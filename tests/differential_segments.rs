//! Differential tests of segment evaluation.
//!
//! * proptest: random tables (every supported type, nulls, dictionaries with null/duplicate entries, several and
//!   sliced batches) and random rules; the columnar evaluator (alone, several rules in one pass, through the
//!   segment cache across an IPC round trip and an append) must equal a naive row-by-row SQL three-valued-logic
//!   evaluator (`tests/common/naive_eval.rs`); rejected rules must fail with a rule error whose span lies in the
//!   text; the canonical text must parse back to the same rule and be a fixed point.
//! * DuckDB: `random_rules.json` holds rules from `scripts/gen_random_rule_fixtures.py` (seeded) over
//!   `customers.arrow`, the DuckDB SQL our `to_sql` wrote for them and DuckDB's count for that SQL; the
//!   evaluator's count must match and `to_sql` must not have drifted. `tag_rules.json` does the same for tag
//!   lists, `link_rules.json` for link aggregates over `link_orders.arrow`.

#[path = "common/naive_eval.rs"]
mod naive_eval;
#[path = "common/random_table.rs"]
mod random_table;

use std::path::PathBuf;

use arrow_array::RecordBatch;
use proptest::prelude::*;
use random_table::{ByteSource, Source};
use segmetry::ingest::Dataset;
use segmetry::prepare::NormalizeKey;
use segmetry::segments::links::Link;
use segmetry::segments::{evaluate_many, Dialect, Rule, RuleOptions, SegmentCache};
use segmetry::ErrorCode;

fn options() -> RuleOptions {
    RuleOptions::with_reference_date(random_table::REFERENCE_DATE).unwrap()
}

fn ipc_stream(batches: &[RecordBatch]) -> Option<Vec<u8>> {
    let schema = batches.first()?.schema();
    let mut w = arrow_ipc::writer::StreamWriter::try_new(Vec::new(), &schema).ok()?;
    for b in batches {
        w.write(b).ok()?;
    }
    w.into_inner().ok()
}

/// Everything the differential property checks for one input; `Err` describes the first disagreement.
pub fn check(bytes: &[u8]) -> Result<usize, String> {
    let mut src = ByteSource::new(bytes);
    let schema = random_table::schema(&mut src);
    let batches = random_table::batches(&mut src, &schema);
    let rule_count = 1 + src.below(3) as usize;
    let texts: Vec<String> = (0..rule_count).map(|_| random_table::rule(&mut src, &schema, 3)).collect();
    let ds = Dataset::from_batches(schema.clone(), batches.clone()).map_err(|e| format!("from_batches: {e:?}"))?;
    let opts = options();
    let mut rules = Vec::new();
    for text in &texts {
        match Rule::parse(text, &schema, &opts) {
            Ok(rule) => rules.push(rule),
            Err(e) => {
                let ok_code =
                    matches!(e.code, ErrorCode::RuleSyntax | ErrorCode::UnknownColumn | ErrorCode::TypeMismatch);
                let ok_span = e.span.is_some_and(|(a, b)| a <= b && b <= text.len());
                if !ok_code || !ok_span {
                    return Err(format!(
                        "rule {text:?}: unexpected error {:?} span {:?}: {}",
                        e.code, e.span, e.message
                    ));
                }
            }
        }
    }
    let mut expected = Vec::new();
    for rule in &rules {
        let want = naive_eval::members(rule.expr(), &batches, opts.reference_date);
        let got = rule.evaluate(&ds).map_err(|e| format!("evaluate {}: {e:?}", rule.text()))?;
        if got.len() != want.len() {
            return Err(format!("{}: bitmap of {} rows for {} rows", rule.text(), got.len(), want.len()));
        }
        if let Some(row) = (0..want.len()).find(|&i| got.get(i) != want[i]) {
            return Err(format!(
                "rule {:?} (canonical {:?}) on schema {:?}: row {row}: evaluator {} naive {}",
                rule.text(),
                rule.canonical(),
                schema.fields().iter().map(|f| (f.name().clone(), f.data_type().clone())).collect::<Vec<_>>(),
                got.get(row),
                want[row]
            ));
        }
        // Canonical text parses back to the same rule, and is a fixed point.
        let again = Rule::parse(rule.canonical(), &schema, &opts).map_err(|e| {
            format!("canonical {:?} of {:?} does not parse: {}", rule.canonical(), rule.text(), e.message)
        })?;
        if again.expr_without_spans() != rule.expr_without_spans() || again.canonical() != rule.canonical() {
            return Err(format!(
                "canonical {:?} of {:?} parses to another rule {:?}",
                rule.canonical(),
                rule.text(),
                again.canonical()
            ));
        }
        for dialect in [Dialect::DuckDb, Dialect::Spark, Dialect::Postgres] {
            let sql = rule.to_sql(dialect);
            if sql.is_empty() {
                return Err(format!("empty SQL for {}", rule.text()));
            }
        }
        expected.push(got);
    }
    // Several rules in one pass (shared column tests) equal separate passes.
    let refs: Vec<&Rule> = rules.iter().collect();
    let together = evaluate_many(&refs, &ds).map_err(|e| format!("evaluate_many: {e:?}"))?;
    if together != expected {
        return Err(format!("evaluate_many differs from evaluate for {texts:?}"));
    }
    // IPC round trip, then the cache across an append: only the new batches are evaluated. Rules with the same
    // canonical text are deduplicated here: duplicates hit a known cache defect
    // (tests/regressions.rs::cache_with_duplicate_rules_after_append).
    let mut seen = std::collections::HashSet::new();
    let (refs, expected): (Vec<&Rule>, Vec<_>) =
        rules.iter().zip(expected).filter(|(r, _)| seen.insert(r.canonical().to_string())).unzip();
    let split = batches.len() / 2;
    if let (Some(first), Some(second)) = (ipc_stream(&batches[..split.max(1)]), ipc_stream(&batches[split.max(1)..])) {
        let mut loaded = Dataset::from_ipc(first).map_err(|e| format!("from_ipc: {e:?}"))?;
        let mut cache = SegmentCache::default();
        cache.evaluate(&loaded, &refs).map_err(|e| format!("cache: {e:?}"))?;
        loaded.append_ipc(second).map_err(|e| format!("append_ipc: {e:?}"))?;
        let cached = cache.evaluate(&loaded, &refs).map_err(|e| format!("cache after append: {e:?}"))?;
        if cached != expected {
            return Err(format!("cache after IPC round trip and append differs for {texts:?}"));
        }
    }
    Ok(rules.len())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, max_shrink_iters: 2000, ..ProptestConfig::default() })]

    #[test]
    fn evaluator_equals_naive_row_by_row(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
        if let Err(msg) = check(&bytes) {
            prop_assert!(false, "{}", msg);
        }
    }
}

/// The generator is not degenerate: most random rules parse, over every type.
#[test]
fn random_rules_mostly_parse() {
    let mut parsed = 0;
    let mut total = 0;
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..400 {
        let bytes: Vec<u8> = (0..3000)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let mut src = ByteSource::new(&bytes);
        let schema = random_table::schema(&mut src);
        let _ = random_table::batches(&mut src, &schema);
        let text = random_table::rule(&mut src, &schema, 3);
        total += 1;
        parsed += usize::from(Rule::parse(&text, &schema, &options()).is_ok());
        check(&bytes).unwrap();
    }
    assert!(parsed * 2 > total, "only {parsed} of {total} random rules parse");
}

// ---- toSql agrees with DuckDB on random rules -------------------------------------------------------------

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/segments")
}

fn customers() -> Dataset {
    Dataset::from_ipc(std::fs::read(fixtures().join("customers.arrow")).unwrap()).unwrap()
}

fn tags() -> Dataset {
    Dataset::from_ipc(std::fs::read(fixtures().join("tags.arrow")).unwrap()).unwrap()
}

/// Parses a fixture row's rule: over `ds`, with `link_orders.arrow` linked as `orders` by e-mail when the row
/// names a key normalization (`mode`, the link rules).
fn parse_row(ds: &Dataset, row: &serde_json::Value) -> segmetry::Result<Rule> {
    let opts = RuleOptions::with_reference_date("2026-11-01").unwrap();
    let text = row["rule"].as_str().unwrap();
    match row.get("mode").and_then(|m| m.as_str()) {
        None => Rule::parse(text, ds.schema(), &opts),
        Some(mode) => {
            let orders = Dataset::from_ipc(std::fs::read(fixtures().join("link_orders.arrow")).unwrap()).unwrap();
            let mode = NormalizeKey::parse(mode).unwrap();
            let links = [Link::new("orders", ds, &orders, ("email", "Email"), mode).unwrap()];
            Rule::parse_linked(text, ds, &links, &opts)
        }
    }
}

/// Writes `{name}_sql.json` ({rule: our DuckDB SQL}) for the rules in `{name}.json` over `ds`.
fn write_sql(ds: &Dataset, name: &str) {
    let text = std::fs::read_to_string(fixtures().join(format!("{name}.json"))).unwrap();
    let rules: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let mut out = serde_json::Map::new();
    for r in rules {
        // Rules that do not parse (a generated literal out of the column's domain) get null and are dropped.
        let sql = match parse_row(ds, &r) {
            Ok(rule) => serde_json::Value::String(rule.to_sql(Dialect::DuckDb)),
            Err(_) => serde_json::Value::Null,
        };
        out.insert(r["rule"].as_str().unwrap().to_string(), sql);
    }
    let text = serde_json::to_string_pretty(&serde_json::Value::Object(out)).unwrap();
    std::fs::write(fixtures().join(format!("{name}_sql.json")), text + "\n").unwrap();
}

/// Writes `random_rules_sql.json`, `tag_rules_sql.json` and `link_rules_sql.json` for the rules in
/// `random_rules.json` / `tag_rules.json` / `link_rules.json`; the script then counts them in DuckDB:
/// `cargo test --test differential_segments -- --ignored write_random_rules_sql`.
#[test]
#[ignore = "fixture writer; see scripts/gen_random_rule_fixtures.py"]
fn write_random_rules_sql() {
    write_sql(&customers(), "random_rules");
    write_sql(&tags(), "tag_rules");
    write_sql(&customers(), "link_rules");
}

/// Writes `target/segments_postgres_sql.json` (PostgreSQL and Spark SQL of every counted rule of the random and tag
/// suites, with DuckDB's count) for `scripts/check_rules_postgres.py`:
/// `cargo test --test differential_segments -- --ignored write_postgres_sql`.
#[test]
#[ignore = "input of scripts/check_rules_postgres.py"]
fn write_postgres_sql() {
    let opts = RuleOptions::with_reference_date("2026-11-01").unwrap();
    let mut out = Vec::new();
    for (table, ds, name) in [("tags", tags(), "tag_rules"), ("customers", customers(), "random_rules")] {
        let text = std::fs::read_to_string(fixtures().join(format!("{name}.json"))).unwrap();
        let rows: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
        for r in rows.iter().filter(|r| r.get("count").is_some()) {
            let rule = Rule::parse(r["rule"].as_str().unwrap(), ds.schema(), &opts).unwrap();
            out.push(serde_json::json!({
                "table": table, "rule": r["rule"], "count": r["count"],
                "postgres": rule.to_sql(Dialect::Postgres), "spark": rule.to_sql(Dialect::Spark),
            }));
        }
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/segments_postgres_sql.json");
    std::fs::write(path, serde_json::to_string(&out).unwrap()).unwrap();
}

/// Every counted rule of `{name}.json`: `to_sql` unchanged and the evaluator's count equal to DuckDB's.
fn check_counted(ds: &Dataset, name: &str, at_least: usize) {
    let path = fixtures().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).expect("run scripts/gen_random_rule_fixtures.py");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let with_counts: Vec<&serde_json::Value> = rows.iter().filter(|r| r.get("count").is_some()).collect();
    assert!(
        with_counts.len() >= at_least,
        "expected ≥ {at_least} counted rules in {name}, found {}",
        with_counts.len()
    );
    let mut failures = Vec::new();
    for r in with_counts {
        let rule_text = r["rule"].as_str().unwrap();
        let rule = parse_row(ds, r).unwrap_or_else(|e| panic!("{rule_text}: {e}"));
        let sql = rule.to_sql(Dialect::DuckDb);
        let stored = r["sql"].as_str().unwrap();
        if sql != stored {
            failures.push(format!("{rule_text}: to_sql changed (regenerate)\n  now:    {sql}\n  stored: {stored}"));
            continue;
        }
        let want = r["count"].as_u64().unwrap() as usize;
        let got = rule.evaluate(ds).unwrap().count();
        if got != want {
            failures.push(format!("{rule_text}: evaluator {got}, DuckDB {want} for {sql}"));
        }
    }
    assert!(failures.is_empty(), "{} disagreements:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn random_rules_to_sql_agrees_with_duckdb() {
    check_counted(&customers(), "random_rules", 300);
}

/// `HAS` / `HAS ANY` / `HAS ALL` on list<utf8>, large_list<utf8>, comma-separated text and dictionary columns.
#[test]
fn tag_rules_to_sql_agrees_with_duckdb() {
    check_counted(&tags(), "tag_rules", 70);
}

/// Link aggregates (`COUNT`/`EXISTS`/`SUM`/`MIN`/`MAX` over `orders`, with `WHERE`s in every form: text
/// functions, LIKE/ILIKE, HAS, typed literals) mixed with predicates on the customers, in each key normalization.
#[test]
fn link_rules_to_sql_agrees_with_duckdb() {
    check_counted(&customers(), "link_rules", 120);
}

// ---- seed corpora for the fuzz targets ---------------------------------------------------------------------

mod seeds {
    //! Writes the committed seed corpora under fuzz/corpus/<target>/ (deterministic, < 2 MB in all):
    //! `cargo test --test differential_segments -- --ignored write_fuzz_seed_corpora`.
    //!
    //! * ipc_stream / ipc_file: arrow-rs StreamWriter / FileWriter output for slices of every batch of
    //!   customers.arrow (every column type, nulls, dictionary), with and without LZ4, schema-only, empty-batch
    //!   and concatenated payloads, and generated tables from tests/common/random_table.rs (utf8_view, every
    //!   dictionary key type, decimals, every timestamp unit).
    //! * rule_parse: every rule of rules.json and the first random rules; rule_eval: the generator bytes of
    //!   those tables; stats: deterministic pseudo-random bytes.
    use std::path::{Path, PathBuf};

    use arrow_array::RecordBatch;
    use arrow_ipc::writer::{FileWriter, IpcWriteOptions, StreamWriter};
    use arrow_ipc::CompressionType;
    use segmetry::ingest::Dataset;

    use super::random_table;

    fn fuzz_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
    }

    fn write(target: &str, name: &str, bytes: &[u8]) {
        let dir = fuzz_root().join("corpus").join(target);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    }

    fn options(lz4: bool) -> IpcWriteOptions {
        let o = IpcWriteOptions::default();
        if lz4 {
            o.try_with_compression(Some(CompressionType::LZ4_FRAME)).unwrap()
        } else {
            o
        }
    }

    fn stream(batches: &[RecordBatch], lz4: bool) -> Vec<u8> {
        let schema = batches[0].schema();
        let mut w = StreamWriter::try_new_with_options(Vec::new(), &schema, options(lz4)).unwrap();
        for b in batches {
            w.write(b).unwrap();
        }
        w.into_inner().unwrap()
    }

    fn file(batches: &[RecordBatch], lz4: bool) -> Option<Vec<u8>> {
        let schema = batches[0].schema();
        let mut w = FileWriter::try_new_with_options(Vec::new(), &schema, options(lz4)).ok()?;
        for b in batches {
            w.write(b).ok()?; // the file format refuses dictionary replacement between batches
        }
        w.into_inner().ok()
    }

    struct Lcg(u64);
    impl Lcg {
        fn bytes(&mut self, n: usize) -> Vec<u8> {
            (0..n)
                .map(|_| {
                    self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    (self.0 >> 33) as u8
                })
                .collect()
        }
    }

    #[test]
    #[ignore = "writes fuzz/corpus/*"]
    fn write_fuzz_seed_corpora() {
        let fixture = fuzz_root().join("../tests/fixtures/segments/customers.arrow");
        let ds = Dataset::from_ipc(std::fs::read(fixture).unwrap()).unwrap();
        // Small slices of each batch, with the whole schema.
        let small: Vec<RecordBatch> = ds.batches().iter().map(|b| b.slice(0, 12)).collect();
        for lz4 in [false, true] {
            let tag = if lz4 { "lz4" } else { "plain" };
            write("ipc_stream", &format!("customers-{tag}.arrows"), &stream(&small, lz4));
            write("ipc_stream", &format!("customers-one-{tag}.arrows"), &stream(&small[..1], lz4));
            if let Some(f) = file(&small[..1], lz4) {
                write("ipc_file", &format!("customers-one-{tag}.arrow"), &f);
            }
            if let Some(f) = file(&small, lz4) {
                write("ipc_file", &format!("customers-{tag}.arrow"), &f);
            }
        }
        write("ipc_stream", "empty-batch.arrows", &stream(&[ds.batches()[0].slice(0, 0)], false));
        let schema_only = StreamWriter::try_new(Vec::new(), ds.schema()).unwrap().into_inner().unwrap();
        write("ipc_stream", "schema-only.arrows", &schema_only);
        let mut two = stream(&small[..1], false);
        two.extend(stream(&small[1..2], false));
        write("ipc_stream", "concatenated.arrows", &two);

        let mut rng = Lcg(20261101);
        let mut made = 0;
        for i in 0..200 {
            if made >= 24 {
                break;
            }
            let bytes = rng.bytes(600);
            let mut src = random_table::ByteSource::new(&bytes);
            let schema = random_table::schema(&mut src);
            let batches = random_table::batches(&mut src, &schema);
            if batches.iter().all(|b| b.num_rows() == 0) {
                continue;
            }
            made += 1;
            write("ipc_stream", &format!("random-{i}.arrows"), &stream(&batches, i % 3 == 0));
            if let Some(f) = file(&batches[..1], i % 3 == 1) {
                write("ipc_file", &format!("random-{i}.arrow"), &f);
            }
            // The same bytes make a rule_eval input.
            write("rule_eval", &format!("seed-{i}"), &bytes);
        }

        let rules: Vec<serde_json::Value> = serde_json::from_str(
            &std::fs::read_to_string(fuzz_root().join("../tests/fixtures/segments/rules.json")).unwrap(),
        )
        .unwrap();
        for (i, r) in rules.iter().enumerate() {
            write("rule_parse", &format!("rule-{i:03}"), r["rule"].as_str().unwrap().as_bytes());
        }
        let random: Vec<serde_json::Value> = serde_json::from_str(
            &std::fs::read_to_string(fuzz_root().join("../tests/fixtures/segments/random_rules.json")).unwrap(),
        )
        .unwrap();
        for (i, r) in random.iter().take(40).enumerate() {
            write("rule_parse", &format!("random-{i:03}"), r["rule"].as_str().unwrap().as_bytes());
        }
        for i in 0..16 {
            write("stats", &format!("seed-{i:02}"), &rng.bytes(64 + 8 * i));
        }
        println!("corpora written under {}", fuzz_root().join("corpus").display());
    }
}
