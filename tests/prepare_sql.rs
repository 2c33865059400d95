//! `toSql` of recipes, against real engines: for each recipe of tests/fixtures/prepare/recipes.json over the
//! generated shop exports, segmetry computes the derived dataset itself (aggregate, join, customerFeatures) and
//! writes the recipe's SQL; DuckDB (and PostgreSQL and Spark where they ran) executed that committed SQL over the
//! same rows (`python3 scripts/gen_prepare_fixtures.py --recipes`, results under tests/fixtures/prepare/sql/).
//! Two independent implementations must agree: same columns, names and order, rows in the same order, counts
//! exact, sums and means within 1e-12 relative. The `workspace` case also runs `sqlForAnalysis` over the recipe's
//! query as a view, and the report from the engine's aggregates must equal `analyze` on segmetry's own table.
//!
//! `PREPARE_ENGINE_DIR=D` reads the engines' results from D instead of the committed sql/ (scripts/spark-identity.sh
//! runs the engines afresh into D with `gen_prepare_fixtures.py --recipes --recipes-spark --results-dir=D`).
//!
//! After changing the SQL writer: `RECIPE_SQL_OUT=tests/fixtures/prepare/sql cargo test --test prepare_sql --
//! --ignored`, then re-run the generator (`committed_sql_is_current` fails until then).

use std::collections::BTreeMap;
use std::fs;

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrayRef};
use arrow_schema::{DataType, TimeUnit};
use segmetry::ingest::{value_kind, Dataset};
use segmetry::metrics::{analyze, analyze_summary, AnalysisOptions};
use segmetry::prepare::{aggregate, customer_features, join, recipe_sql, Recipe, RecipeSqlOptions, SqlTable};
use segmetry::scaleout::read_rows::rows_from_ipc;
use segmetry::scaleout::{sql_for_analysis, summary_from_rows, Plan, SqlOptions};
use segmetry::segments::{Dialect, SegmentCache};
use serde_json::{json, Value};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/prepare");
const DIALECTS: [(&str, Dialect); 3] =
    [("duckdb", Dialect::DuckDb), ("spark", Dialect::Spark), ("postgres", Dialect::Postgres)];

/// Where the engines' results are: PREPARE_ENGINE_DIR (a fresh run) or the committed sql/.
fn engine_dir() -> String {
    std::env::var("PREPARE_ENGINE_DIR").unwrap_or_else(|_| format!("{DIR}/sql"))
}

fn cases() -> BTreeMap<String, Value> {
    serde_json::from_str(&fs::read_to_string(format!("{DIR}/recipes.json")).unwrap()).unwrap()
}

fn load(name: &str) -> Dataset {
    Dataset::from_ipc(fs::read(format!("{DIR}/{name}.arrow")).unwrap()).unwrap()
}

/// The recipe with each `{ source: name }` leaf replaced by that fixture's columns, and the fixture names in
/// source order.
fn recipe(v: &Value, sources: &mut Vec<String>) -> Value {
    if let Some(name) = v.get("source").and_then(Value::as_str) {
        sources.push(name.to_string());
        let columns: Vec<Value> = load(name)
            .schema()
            .fields()
            .iter()
            .map(|f| json!({ "name": f.name(), "type": segmetry::ingest::type_name(f.data_type()) }))
            .collect();
        return json!({ "op": "source", "columns": columns });
    }
    let mut out = v.clone();
    for k in ["input", "left", "right"] {
        if let Some(child) = v.get(k) {
            out[k] = recipe(child, sources);
        }
    }
    out
}

/// segmetry's own result of the recipe.
fn evaluate(v: &Value) -> Dataset {
    if let Some(name) = v.get("source").and_then(Value::as_str) {
        return load(name);
    }
    let options = v["options"].clone();
    match v["op"].as_str().unwrap() {
        "aggregate" => aggregate(&evaluate(&v["input"]), &serde_json::from_value(options).unwrap()).unwrap(),
        "customerFeatures" => {
            customer_features(&evaluate(&v["input"]), &serde_json::from_value(options).unwrap()).unwrap()
        }
        "join" => {
            let o = serde_json::from_value(options).unwrap();
            join(&evaluate(&v["left"]), &evaluate(&v["right"]), &o).unwrap().dataset
        }
        other => panic!("unknown op {other}"),
    }
}

/// The SQL of a case: every source table carries `rn` (its row number) unless the case is `"ordered": false`.
fn sql(case: &Value, dialect: Dialect) -> String {
    let mut sources = Vec::new();
    let r: Recipe = serde_json::from_value(recipe(&case["recipe"], &mut sources)).unwrap();
    let ordered = case.get("ordered").and_then(Value::as_bool).unwrap_or(true);
    let tables = sources
        .into_iter()
        .map(
            |name| {
                if ordered {
                    SqlTable::Ordered { name, row_order: Some("rn".into()) }
                } else {
                    SqlTable::Name(name)
                }
            },
        )
        .collect();
    recipe_sql(&r, &RecipeSqlOptions { dialect, tables }).unwrap() + "\n"
}

/// The analysis SQL of a case, over its recipe's query as the view `prepared`.
fn analysis_sql(case: &Value, derived: &Dataset, dialect: Dialect) -> Option<String> {
    let o: AnalysisOptions = serde_json::from_value(case.get("analysis")?.clone()).unwrap();
    let q = SqlOptions { dialect, table: "prepared".into(), suppress_small_cells: false };
    Some(sql_for_analysis(derived.schema(), &o, &q).unwrap() + "\n")
}

/// Writes the committed SQL texts (see the module docs).
#[test]
#[ignore]
fn write_recipe_sql() {
    let out = std::env::var("RECIPE_SQL_OUT").expect("RECIPE_SQL_OUT");
    for (name, case) in cases() {
        for (d, dialect) in DIALECTS {
            fs::write(format!("{out}/{name}.{d}.sql"), sql(&case, dialect)).unwrap();
            if let Some(q) = analysis_sql(&case, &evaluate(&case["recipe"]), dialect) {
                fs::write(format!("{out}/{name}.analysis.{d}.sql"), q).unwrap();
            }
        }
    }
}

#[test]
fn committed_sql_is_current() {
    for (name, case) in cases() {
        for (d, dialect) in DIALECTS {
            let committed = fs::read_to_string(format!("{DIR}/sql/{name}.{d}.sql")).unwrap_or_default();
            assert_eq!(sql(&case, dialect), committed, "{name}.{d}.sql is stale: see the module docs to refresh it");
        }
    }
}

/// One value as a comparable JSON value: timestamps in microseconds, dates in days, decimals as numbers.
fn cell(a: &ArrayRef, i: usize) -> Value {
    if a.is_null(i) {
        return Value::Null;
    }
    match a.data_type() {
        DataType::Int64 => a.as_primitive::<Int64Type>().value(i).into(),
        DataType::Int32 => a.as_primitive::<Int32Type>().value(i).into(),
        DataType::Float64 => a.as_primitive::<Float64Type>().value(i).into(),
        DataType::Boolean => a.as_boolean().value(i).into(),
        DataType::Utf8 => a.as_string::<i32>().value(i).into(),
        DataType::LargeUtf8 => a.as_string::<i64>().value(i).into(),
        DataType::Utf8View => a.as_string_view().value(i).into(),
        DataType::Date32 => a.as_primitive::<Date32Type>().value(i).into(),
        DataType::Decimal128(_, s) => {
            (a.as_primitive::<Decimal128Type>().value(i) as f64 / 10f64.powi(*s as i32)).into()
        }
        DataType::Timestamp(TimeUnit::Microsecond, _) => a.as_primitive::<TimestampMicrosecondType>().value(i).into(),
        DataType::Dictionary(_, _) => {
            let d = a.as_dictionary::<Int32Type>();
            cell(d.values(), d.keys().value(i) as usize)
        }
        other => panic!("unexpected type {other}"),
    }
}

fn rows(ds: &Dataset) -> Vec<Vec<Value>> {
    let mut out = vec![Vec::new(); ds.num_rows()];
    for c in 0..ds.schema().fields().len() {
        let values = ds.column_chunks(c).flat_map(|a| (0..a.len()).map(|i| cell(a, i)).collect::<Vec<_>>());
        for (row, v) in out.iter_mut().zip(values) {
            row.push(v);
        }
    }
    out
}

fn same_value(g: &Value, w: &Value) -> bool {
    match (g, w) {
        (Value::Number(g), Value::Number(w)) if g.is_i64() && w.is_i64() => g == w,
        (Value::Number(g), Value::Number(w)) => {
            let (g, w) = (g.as_f64().unwrap(), w.as_f64().unwrap());
            (g - w).abs() <= 1e-12 * w.abs().max(1.0)
        }
        _ => g == w,
    }
}

/// The engine's result equals segmetry's: names, column kinds, rows (in order, or sorted when unordered).
fn check(engine: &Dataset, want: &Dataset, ordered: bool, what: &str) {
    let names = |d: &Dataset| d.schema().fields().iter().map(|f| f.name().clone()).collect::<Vec<_>>();
    assert_eq!(names(engine), names(want), "{what}: column names and order");
    for (g, w) in engine.schema().fields().iter().zip(want.schema().fields()) {
        let kind = |t: &DataType| (value_kind(t), matches!(t, DataType::Float64), matches!(t, DataType::Int64));
        assert_eq!(
            kind(g.data_type()),
            kind(w.data_type()),
            "{what}.{}: {} vs {}",
            w.name(),
            g.data_type(),
            w.data_type()
        );
    }
    let (mut got, mut expected) = (rows(engine), rows(want));
    if !ordered {
        got.sort_by_key(|r| r[0].to_string());
        expected.sort_by_key(|r| r[0].to_string());
    }
    assert_eq!(got.len(), expected.len(), "{what}: rows");
    for (i, (g, w)) in got.iter().zip(&expected).enumerate() {
        for (c, (gv, wv)) in g.iter().zip(w).enumerate() {
            let col = want.schema().field(c).name();
            assert!(same_value(gv, wv), "{what}, row {i}, `{col}`: the engine has {gv}, segmetry {wv}");
        }
    }
}

#[test]
fn engines_agree_with_segmetry() {
    let mut checked = BTreeMap::new();
    for (name, case) in cases() {
        let want = evaluate(&case["recipe"]);
        let ordered = case.get("ordered").and_then(Value::as_bool).unwrap_or(true);
        for (engine, _) in DIALECTS {
            let Ok(bytes) = fs::read(format!("{}/{engine}_{name}.arrow", engine_dir())) else { continue };
            check(&Dataset::from_ipc(bytes).unwrap(), &want, ordered, &format!("{engine}/{name}"));
            *checked.entry(engine).or_insert(0) += 1;
        }
    }
    eprintln!("recipe results checked per engine: {checked:?}");
    assert_eq!(checked.get("duckdb"), Some(&cases().len()), "every recipe ran in DuckDB");
    report_missing(&checked, cases().len());
}

/// Engines that did not run every recipe here are counted and named with the reason the generator recorded.
fn report_missing(checked: &BTreeMap<&str, usize>, cases: usize) {
    let skipped: Value = fs::read_to_string(format!("{}/skipped.json", engine_dir()))
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap_or(json!({}));
    for (engine, _) in DIALECTS {
        let ran = checked.get(engine).copied().unwrap_or(0);
        if ran < cases {
            let reason = skipped.get(engine).and_then(Value::as_str);
            assert!(reason.is_some(), "{engine}: {ran} of {cases} recipes ran, and sql/skipped.json gives no reason");
            eprintln!("{engine}: {} of {cases} recipes skipped ({})", cases - ran, reason.unwrap());
        }
    }
}

#[test]
fn analysis_over_the_recipe_query_matches_analyze() {
    let mut checked = 0;
    for (name, case) in cases() {
        let Some(options) = case.get("analysis") else { continue };
        let o: AnalysisOptions = serde_json::from_value(options.clone()).unwrap();
        let derived = evaluate(&case["recipe"]);
        let want = serde_json::to_value(analyze(&derived, &mut SegmentCache::default(), &o).unwrap()).unwrap();
        for (engine, _) in DIALECTS {
            let Ok(bytes) = fs::read(format!("{}/{engine}_{name}.analysis.arrow", engine_dir())) else { continue };
            let plan = Plan::new(Some(derived.schema()), &o).unwrap();
            let summary = summary_from_rows(&rows_from_ipc(bytes).unwrap(), &plan).unwrap();
            let got = serde_json::to_value(analyze_summary(&summary, &o).unwrap()).unwrap();
            compare(&got, &want, &format!("{engine}/{name}"));
            checked += 1;
        }
    }
    assert!(checked > 0, "no engine ran an analysis over a recipe");
}

/// Reports agree: strings and integers exactly, other numbers within 1e-12 relative.
fn compare(got: &Value, want: &Value, path: &str) {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => {
            assert_eq!(g.keys().collect::<Vec<_>>(), w.keys().collect::<Vec<_>>(), "{path}: keys");
            for (k, wv) in w {
                compare(&g[k], wv, &format!("{path}.{k}"));
            }
        }
        (Value::Array(g), Value::Array(w)) => {
            assert_eq!(g.len(), w.len(), "{path}: length");
            for (i, (gv, wv)) in g.iter().zip(w).enumerate() {
                compare(gv, wv, &format!("{path}[{i}]"));
            }
        }
        _ => assert!(same_value(got, want), "{path}: got {got}, want {want}"),
    }
}

#[test]
fn errors_name_the_fix() {
    let case = |v: Value| -> Recipe {
        let mut sources = Vec::new();
        serde_json::from_value(recipe(&v, &mut sources)).unwrap()
    };
    let write =
        |r: &Recipe, tables: Vec<SqlTable>| recipe_sql(r, &RecipeSqlOptions { dialect: Dialect::DuckDb, tables });
    let first = case(json!({ "op": "aggregate", "input": { "source": "orders" },
        "options": { "by": "Email", "values": [["s", "first(\"Financial Status\")"]], "referenceDate": "2025-12-01" } }));
    let err = write(&first, vec![SqlTable::Name("orders".into())]).unwrap_err();
    assert_eq!(err.subject.as_deref(), Some("tables"));
    assert!(err.message.contains("rowOrder"), "{}", err.message);
    let err = write(&first, vec![]).unwrap_err();
    assert!(
        err.message.contains("starts from 1 loaded dataset(s)") && err.message.contains("Name, Email"),
        "{}",
        err.message
    );
    // The step's own checks, with its errors.
    let typo = case(json!({ "op": "aggregate", "input": { "source": "orders" },
        "options": { "by": "Email", "values": [["t", "sum(Totl)"]], "referenceDate": "2025-12-01" } }));
    let err = write(&typo, vec![SqlTable::Name("orders".into())]).unwrap_err();
    assert_eq!(err.code, segmetry::ErrorCode::UnknownColumn);
    let features = case(json!({ "op": "customerFeatures", "input": { "source": "orders" },
        "options": { "customer": "Email", "order": "Name", "date": "Created at", "amount": "Total" } }));
    let err = write(&features, vec![SqlTable::Name("orders".into())]).unwrap_err();
    assert!(err.message.contains("order"), "{}", err.message);
    let holdout = case(json!({ "op": "calibrationAndHoldout", "input": { "source": "orders" }, "options": {} }));
    assert!(write(&holdout, vec![SqlTable::Name("orders".into())])
        .unwrap_err()
        .message
        .contains("calibrationAndHoldout"));
    let err = serde_json::from_value::<RecipeSqlOptions>(json!({ "dialect": "oracle", "tables": [] })).unwrap_err();
    assert!(err.to_string().contains("'duckdb', 'spark' or 'postgres'"), "{err}");
}
