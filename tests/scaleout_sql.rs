//! Scaling out, natively: the aggregation query's text per dialect, the schema option, and the round trip
//! summarize → query-shaped rows (as an engine returns them: empty groups missing, NULL sums) → summary_from_rows →
//! analyze_summary, which must give exactly the report `analyze` gives. The engines themselves run in
//! `scripts/spark-identity.sh` (DuckDB and Spark) and `tests/js/scaleout.test.mjs`.
//!
//! Link rules (`COUNT(orders WHERE …) >= 2` over a linked table): the random link rules of
//! `tests/fixtures/segments/link_rules.json` as segments of `sqlForAnalysis` queries, run by DuckDB and PostgreSQL
//! (`scripts/gen_scaleout_link_fixtures.py`, committed under tests/fixtures/scaleout/links/), must give the report
//! `analyze` gives with the links.

use std::fs;

use arrow_schema::{DataType, TimeUnit};
use serde_json::{json, Value};

use segmetry::ingest::Dataset;
use segmetry::metrics::analyze_linked;
use segmetry::metrics::{analyze, analyze_summary, summarize, AnalysisOptions, Summary};
use segmetry::prepare::NormalizeKey;
use segmetry::scaleout::read_rows::{rows_from_ipc, RowsInput};
use segmetry::scaleout::{
    links_with_tables, schema_from_columns, sql_for_analysis, sql_for_analysis_linked, summary_from_rows, ColumnSpec,
    Plan, SqlOptions, SummaryRow,
};
use segmetry::segments::links::Link;
use segmetry::segments::{Dialect, SegmentCache};
use segmetry::ErrorCode;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/analysis");

fn load() -> Dataset {
    Dataset::from_ipc(fs::read(format!("{DIR}/experiment.arrow")).unwrap()).unwrap()
}

fn options(v: Value) -> AnalysisOptions {
    serde_json::from_value(v).unwrap()
}

fn base() -> Value {
    json!({
        "segments": {
            "nordic_loyal": "country IN ('FI','SE') AND orders_count >= 3",
            "new_customers": "orders_count <= 1",
            "big_spenders": "pre_revenue > 100",
            "norway": "country = 'NO'",
            "tiny": "country = 'DE' AND orders_count >= 6",
        },
        "variant": "variant", "control": "A", "conversion": "converted", "revenue": "revenue",
        "covariate": "pre_revenue", "referenceDate": "2026-11-01",
    })
}

fn with(mut v: Value, extra: Value) -> Value {
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

/// The rows a SQL engine returns for `summary`: GROUP BY leaves out empty groups; totals under segment NULL.
fn engine_rows(summary: &Summary, include_all: bool) -> Vec<SummaryRow> {
    let mut rows = Vec::new();
    let mut segs = summary.segments.iter();
    let totals = if include_all { segs.next().unwrap().clone() } else { panic!("tests use includeAll") };
    for (slot, s) in std::iter::once(&totals).chain(segs).enumerate() {
        let name = if slot == 0 { None } else { Some(s.name.clone()) };
        for (v, c) in summary.variants.iter().zip(&s.cells) {
            if c.n > 0 {
                rows.push(SummaryRow {
                    segment: name.clone(),
                    variant: Some(v.clone()),
                    cell: *c,
                    ..Default::default()
                });
            }
        }
        if s.unassigned > 0 {
            let mut r = SummaryRow { segment: name.clone(), variant: None, ..Default::default() };
            r.cell.n = s.unassigned;
            rows.push(r);
        }
    }
    rows.iter_mut().find(|r| r.segment.is_none()).unwrap().overlapping_rows = summary.overlapping_rows.unwrap();
    rows
}

fn report_json(r: &segmetry::metrics::Report) -> Value {
    serde_json::to_value(r).unwrap()
}

fn schema_of(ds: &Dataset) -> Vec<ColumnSpec> {
    ds.columns().into_iter().map(|c| ColumnSpec { name: c.name, data_type: c.type_name }).collect()
}

#[test]
fn rows_round_trip_gives_the_same_report() {
    let ds = load();
    for extra in [
        json!({}),
        json!({ "minCellSize": 40 }),
        json!({ "covariate": null, "conversion": "converted_int", "revenue": "revenue_dec", "variant": "variant_int", "control": "2" }),
        json!({ "segments": { "lc": { "builtin": "lifecycle", "options": { "frequency": "orders_count", "recency": "last_order_days" } }, "big": "pre_revenue > 100" } }),
        json!({ "engine": "bayesian", "variant": "variant_text", "control": null }),
    ] {
        let o = options(with(base(), extra.clone()));
        let want = analyze(&ds, &mut SegmentCache::default(), &o).unwrap();
        let summary = summarize(&ds, &mut SegmentCache::default(), &o).unwrap();
        let rows = engine_rows(&summary, true);
        let schema = schema_from_columns(&schema_of(&ds)).unwrap();
        let plan = Plan::new(Some(&schema), &o).unwrap();
        let back = summary_from_rows(&rows, &plan).unwrap();
        assert_eq!(back, summary, "{extra}");
        let got = analyze_summary(&back, &o).unwrap();
        assert_eq!(report_json(&got), report_json(&want), "{extra}");
    }
}

#[test]
fn concatenated_chunk_rows_merge() {
    // Rows of two disjoint chunks, concatenated, give the summary of all rows (cells add up).
    let ds = load();
    let o = options(base());
    let schema = ds.schema().clone();
    let (a, b) = ds.batches().split_at(2);
    let da = Dataset::from_batches(schema.clone(), a.to_vec()).unwrap();
    let db = Dataset::from_batches(schema.clone(), b.to_vec()).unwrap();
    let sa = summarize(&da, &mut SegmentCache::default(), &o).unwrap();
    let sb = summarize(&db, &mut SegmentCache::default(), &o).unwrap();
    let mut rows = engine_rows(&sa, true);
    rows.extend(engine_rows(&sb, true));
    let plan = Plan::new(Some(&schema), &o).unwrap();
    let merged = summary_from_rows(&rows, &plan).unwrap();
    let all = summarize(&ds, &mut SegmentCache::default(), &o).unwrap();
    assert_eq!(merged.variants, all.variants);
    for (m, w) in merged.segments.iter().zip(&all.segments) {
        assert_eq!((m.size, m.unassigned), (w.size, w.unassigned), "{}", m.name);
        for (x, y) in m.cells.iter().zip(&w.cells) {
            assert_eq!(
                (x.n, x.conversions, x.revenue_nulls, x.covariate_nulls),
                (y.n, y.conversions, y.revenue_nulls, y.covariate_nulls)
            );
            assert!((x.revenue_sum - y.revenue_sum).abs() <= 1e-12 * y.revenue_sum.abs().max(1.0));
        }
    }
}

#[test]
fn query_shape_per_dialect() {
    let ds = load();
    let o = options(base());
    let duck = sql_for_analysis(
        ds.schema(),
        &o,
        &SqlOptions { dialect: Dialect::DuckDb, table: "analytics.customers".into(), suppress_small_cells: false },
    )
    .unwrap();
    assert!(duck.contains("FROM \"analytics\".\"customers\""), "{duck}");
    assert!(duck.contains("COALESCE((\"country\" IN ('FI', 'SE') AND \"orders_count\" >= 3), FALSE) AS s"), "{duck}");
    assert!(duck.contains("fsum(y)"), "{duck}");
    assert!(duck.contains("CASE WHEN \"converted\" THEN 1 WHEN NOT \"converted\" THEN 0 END AS c"), "{duck}");
    assert!(duck.contains("CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5)) AS g(k)"), "{duck}");
    assert!(duck.contains("GROUP BY g.k, v"), "{duck}");
    let spark = sql_for_analysis(
        ds.schema(),
        &o,
        &SqlOptions { dialect: Dialect::Spark, table: "customers".into(), suppress_small_cells: false },
    )
    .unwrap();
    assert!(spark.contains("FROM `customers`") && spark.contains("CAST(`variant` AS STRING) AS v"), "{spark}");
    assert!(spark.contains("CROSS JOIN VALUES (0),"), "{spark}");
    assert!(!spark.contains('"'), "{spark}");
    let pg = sql_for_analysis(
        ds.schema(),
        &o,
        &SqlOptions { dialect: Dialect::Postgres, table: "customers".into(), suppress_small_cells: false },
    )
    .unwrap();
    assert!(pg.contains("DOUBLE PRECISION") && pg.contains("CAST(SUM(y) AS DOUBLE PRECISION)"), "{pg}");
    // Numeric conversion: invalid values are counted, not silently summed.
    let o2 = options(with(base(), json!({ "conversion": "converted_int" })));
    let q = sql_for_analysis(
        ds.schema(),
        &o2,
        &SqlOptions { dialect: Dialect::DuckDb, table: "t".into(), suppress_small_cells: false },
    )
    .unwrap();
    assert!(q.contains("WHEN \"converted_int\" IS NOT NULL THEN 2 END AS c"), "{q}");
    // minCellSize: HAVING only when asked to keep small cells in the warehouse.
    let o3 = options(with(base(), json!({ "minCellSize": 25 })));
    let q = sql_for_analysis(
        ds.schema(),
        &o3,
        &SqlOptions { dialect: Dialect::DuckDb, table: "t".into(), suppress_small_cells: false },
    )
    .unwrap();
    assert!(!q.contains("HAVING"), "{q}");
    let q = sql_for_analysis(
        ds.schema(),
        &o3,
        &SqlOptions { dialect: Dialect::Spark, table: "t".into(), suppress_small_cells: true },
    )
    .unwrap();
    assert!(q.ends_with("HAVING COUNT(*) >= 25 OR v IS NULL OR g.k = 0"), "{q}");
}

#[test]
fn cells_kept_in_the_warehouse_are_suppressed_in_the_report() {
    // The rows a `suppressSmallCells` query returns: cells below k missing. The report withholds exactly those.
    // (Without CUPED: its pooled θ and covariate mean would include the withheld cells in `analyze`.)
    let ds = load();
    let o = options(with(base(), json!({ "minCellSize": 600, "covariate": null })));
    let summary = summarize(&ds, &mut SegmentCache::default(), &o).unwrap();
    let rows: Vec<SummaryRow> = engine_rows(&summary, true)
        .into_iter()
        .filter(|r| r.segment.is_none() || r.variant.is_none() || r.cell.n >= 600)
        .collect();
    let plan = Plan::new(Some(ds.schema()), &o).unwrap();
    let got = analyze_summary(&summary_from_rows(&rows, &plan).unwrap(), &o).unwrap();
    let want = analyze(&ds, &mut SegmentCache::default(), &o).unwrap();
    assert!(want.segments.iter().any(|s| s.variants.iter().any(|v| v.suppressed)));
    for (g, w) in got.segments.iter().zip(&want.segments) {
        assert_eq!(
            serde_json::to_value(&g.variants).unwrap(),
            serde_json::to_value(&w.variants).unwrap(),
            "{}",
            g.name
        );
        assert_eq!((g.size, g.unassigned), (w.size, w.unassigned));
    }
}

#[test]
fn lifecycle_conditions_in_spark_use_backticks() {
    let cols = vec![
        ColumnSpec { name: "variant".into(), data_type: "utf8".into() },
        ColumnSpec { name: "orders_count".into(), data_type: "int32".into() },
        ColumnSpec { name: "last_order_date".into(), data_type: "date32".into() },
        ColumnSpec { name: "converted".into(), data_type: "bool".into() },
        ColumnSpec { name: "revenue".into(), data_type: "float64".into() },
    ];
    let schema = schema_from_columns(&cols).unwrap();
    let lc = json!({ "lc": { "builtin": "lifecycle", "options": { "recency": "last_order_date", "referenceDate": "2026-06-30" } } });
    let o = options(json!({ "segments": lc, "referenceDate": "2026-11-01" }));
    let spark = sql_for_analysis(
        &schema,
        &o,
        &SqlOptions { dialect: Dialect::Spark, table: "t".into(), suppress_small_cells: false },
    )
    .unwrap();
    assert!(spark.contains("`last_order_date` < DATE '2026-01-01'"), "{spark}");
    assert!(!spark.contains('"'), "{spark}");
    // Without a lifecycle reference date, a date column cannot be resolved without the data.
    let o = options(
        json!({ "segments": { "lc": { "builtin": "lifecycle", "options": { "recency": "last_order_date" } } } }),
    );
    let err = sql_for_analysis(
        &schema,
        &o,
        &SqlOptions { dialect: Dialect::DuckDb, table: "t".into(), suppress_small_cells: false },
    )
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidArgument);
    assert!(err.message.contains("referenceDate"), "{}", err.message);
}

#[test]
fn errors_are_clear() {
    let ds = load();
    let sql = SqlOptions { dialect: Dialect::DuckDb, table: "t".into(), suppress_small_cells: false };
    let rfm = options(with(base(), json!({ "segments": { "r": { "builtin": "rfm" } } })));
    let err = sql_for_analysis(ds.schema(), &rfm, &sql).unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidArgument);
    assert!(err.message.contains("RFM") && err.message.contains("window"), "{}", err.message);
    let bad_rule = options(with(base(), json!({ "segments": { "x": "contry = 'FI'" } })));
    assert_eq!(sql_for_analysis(ds.schema(), &bad_rule, &sql).unwrap_err().code, ErrorCode::UnknownColumn);
    // No schema: rules cannot be type-checked.
    let err = Plan::new(None, &options(base())).unwrap_err();
    assert!(err.message.contains("schema"), "{}", err.message);
    // Type strings.
    let bad = schema_from_columns(&[ColumnSpec { name: "a".into(), data_type: "list<int32>".into() }]).unwrap_err();
    assert!(bad.message.contains("column `a`"), "{}", bad.message);
    let ok = schema_from_columns(&[
        ColumnSpec { name: "t".into(), data_type: "timestamp[us, UTC]".into() },
        ColumnSpec { name: "d".into(), data_type: "decimal128(12, 2)".into() },
        ColumnSpec { name: "v".into(), data_type: "dictionary<int32, utf8>".into() },
    ])
    .unwrap();
    assert_eq!(ok.field(0).data_type(), &DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())));
    assert_eq!(ok.field(1).data_type(), &DataType::Decimal128(12, 2));
    // Rows for an unknown segment, or a non-0/1 conversion.
    let plan = Plan::new(Some(ds.schema()), &options(base())).unwrap();
    let rows = vec![SummaryRow { segment: Some("nope".into()), variant: Some("A".into()), ..Default::default() }];
    assert!(summary_from_rows(&rows, &plan).unwrap_err().message.contains("`nope`"));
    let rows =
        vec![SummaryRow { segment: None, variant: Some("A".into()), conversion_invalid: 3, ..Default::default() }];
    assert_eq!(summary_from_rows(&rows, &plan).unwrap_err().code, ErrorCode::TypeMismatch);
}

#[test]
fn plain_rows_and_arrow_input() {
    let rows: RowsInput = serde_json::from_value(json!([
        { "segment": null, "variant": "A", "n": 10, "conversions": 3, "revenue_sum": 12.5, "revenue_sum_squares": 40.0 },
        { "segment": null, "variant": "B", "n": "12", "conversions": 5, "revenueSum": null },
        { "segment": null, "variant": null, "n": 2 },
    ]))
    .unwrap();
    let rows = rows.into_rows().unwrap();
    assert_eq!(rows[1].cell.n, 12);
    assert_eq!(rows[1].cell.revenue_sum, 0.0);
    let o = options(json!({ "referenceDate": "2026-11-01" }));
    let plan = Plan::new(None, &o).unwrap();
    let s = summary_from_rows(&rows, &plan).unwrap();
    assert_eq!((s.rows, s.unassigned, s.segments[0].size), (24, 2, 24));
    let bad: RowsInput = serde_json::from_value(json!([{ "segment": null, "variant": "A", "n": 1.5 }])).unwrap();
    assert!(bad.into_rows().unwrap_err().message.contains("whole numbers"));
    // Arrow: the fixture's engine outputs, when the generator has written them.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/scaleout/duckdb_base.arrow");
    if let Ok(bytes) = fs::read(path) {
        let rows = rows_from_ipc(bytes).unwrap();
        assert!(rows.iter().any(|r| r.segment.is_none()));
    }
}

/// Writes the configs' queries natively (`SCALEOUT_SQL_OUT=dir cargo test --test scaleout_sql -- --ignored`), for
/// running the engines without the npm build. (Segment order may differ from JS: serde_json sorts object keys.)
#[test]
#[ignore]
fn write_queries() {
    let out = std::env::var("SCALEOUT_SQL_OUT").expect("SCALEOUT_SQL_OUT");
    let configs: Value = serde_json::from_str(
        &fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/scaleout/configs.json")).unwrap(),
    )
    .unwrap();
    let ds = load();
    for (name, o) in configs.as_object().unwrap() {
        let o = options(o.clone());
        for (d, dialect) in [("duckdb", Dialect::DuckDb), ("spark", Dialect::Spark), ("postgres", Dialect::Postgres)] {
            let q = sql_for_analysis(
                ds.schema(),
                &o,
                &SqlOptions { dialect, table: "customers".into(), suppress_small_cells: false },
            )
            .unwrap();
            fs::write(format!("{out}/{name}.{d}.sql"), q + "\n").unwrap();
        }
    }
}

const COUNT_KEYS: &[&str] = &[
    "n",
    "conversions",
    "conversionNulls",
    "revenueNulls",
    "covariateNulls",
    "size",
    "unassigned",
    "rows",
    "overlappingRows",
    "df",
];

/// Compare two reports: counts and strings exactly, other numbers to `tol` relative; returns the largest
/// relative difference of a float.
fn compare(got: &Value, want: &Value, path: &str, key: &str, tol: f64, worst: &mut f64) {
    match (got, want) {
        (Value::Number(g), Value::Number(w)) => {
            let (g, w) = (g.as_f64().unwrap(), w.as_f64().unwrap());
            if COUNT_KEYS.contains(&key) {
                assert_eq!(g, w, "{path}: count differs");
            } else if g != w {
                let rel = (g - w).abs() / w.abs().max(1e-300);
                if rel > 1e-13 && std::env::var("SCALEOUT_VERBOSE").is_ok() {
                    eprintln!("{path}: rel {rel:e}");
                }
                *worst = worst.max(rel);
                assert!(rel <= tol, "{path}: got {g}, want {w} (rel {rel:e})");
            }
        }
        (Value::Object(g), Value::Object(w)) => {
            assert_eq!(g.keys().collect::<Vec<_>>(), w.keys().collect::<Vec<_>>(), "{path}: keys");
            for (k, wv) in w {
                compare(&g[k], wv, &format!("{path}.{k}"), k, tol, worst);
            }
        }
        (Value::Array(g), Value::Array(w)) => {
            assert_eq!(g.len(), w.len(), "{path}: length");
            for (i, (gv, wv)) in g.iter().zip(w).enumerate() {
                compare(gv, wv, &format!("{path}[{i}]"), key, tol, worst);
            }
        }
        _ => assert_eq!(got, want, "{path}"),
    }
}

/// The aggregates DuckDB and Spark computed (`scripts/gen_scaleout_fixtures.py`; committed under
/// tests/fixtures/scaleout/, or fresh ones from `SCALEOUT_DIR`) give the report `analyze` gives.
#[test]
fn engine_aggregates_give_the_analyze_report() {
    let dir = std::env::var("SCALEOUT_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/scaleout").to_string());
    let configs: Value = serde_json::from_str(
        &fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/scaleout/configs.json")).unwrap(),
    )
    .unwrap();
    let ds = load();
    let mut checked = 0;
    for engine in ["duckdb", "spark", "postgres"] {
        let mut worst: f64 = 0.0;
        for (name, o) in configs.as_object().unwrap() {
            let Ok(bytes) = fs::read(format!("{dir}/{engine}_{name}.arrow")) else {
                continue;
            };
            let o = options(o.clone());
            let want = report_json(&analyze(&ds, &mut SegmentCache::default(), &o).unwrap());
            let plan = Plan::new(Some(ds.schema()), &o).unwrap();
            let summary = summary_from_rows(&rows_from_ipc(bytes).unwrap(), &plan).unwrap();
            let got = report_json(&analyze_summary(&summary, &o).unwrap());
            compare(&got, &want, &format!("{engine}/{name}"), "", 1e-12, &mut worst);
            checked += 1;
        }
        eprintln!("{engine}: max relative float difference {worst:e}");
    }
    assert!(checked > 0 || std::env::var("SCALEOUT_DIR").is_err(), "no engine outputs in {dir}");
}

// ---------------------------------------------------------------------------------------------------------------
// Link rules.

const SEGMENTS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/segments");
const LINKS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/scaleout/links");
const DIALECTS: [(&str, Dialect); 3] =
    [("duckdb", Dialect::DuckDb), ("spark", Dialect::Spark), ("postgres", Dialect::Postgres)];

/// One link config: its name, the key normalization of its link and the analysis options.
struct LinkConfig {
    name: String,
    mode: String,
    options: AnalysisOptions,
}

/// The random link rules (but those on `event_ns`), grouped by the key normalization they are linked with, 25
/// segments a query; the
/// customers' `country` is the variant (several variants, nulls and '' among them) and `is_subscribed` the
/// conversion.
fn link_configs() -> Vec<LinkConfig> {
    let rules: Value =
        serde_json::from_str(&fs::read_to_string(format!("{SEGMENTS}/link_rules.json")).unwrap()).unwrap();
    let mut out = Vec::new();
    for mode in ["email", "text", "none"] {
        let texts: Vec<&str> = rules
            .as_array()
            .unwrap()
            .iter()
            // Spark and PostgreSQL hold microseconds: the nanosecond column's rules test data they cannot hold.
            .filter(|r| r["mode"] == mode && !r["rule"].as_str().unwrap().contains("event_ns"))
            .map(|r| r["rule"].as_str().unwrap())
            .collect();
        for (k, chunk) in texts.chunks(25).enumerate() {
            let segments: serde_json::Map<String, Value> =
                chunk.iter().enumerate().map(|(i, t)| (format!("r{:02}", i), json!(t))).collect();
            out.push(LinkConfig {
                name: format!("{mode}_{k}"),
                mode: mode.to_string(),
                options: options(json!({
                    "segments": segments, "variant": "country", "control": "DE", "conversion": "is_subscribed",
                    "revenue": "total_spent", "referenceDate": "2026-11-01",
                })),
            });
        }
    }
    out
}

/// The customers and their `orders` link (customers.email = orders.Email, normalized by `mode`).
fn link_data(mode: &str) -> (Dataset, Vec<Link>) {
    let customers = Dataset::from_ipc(fs::read(format!("{SEGMENTS}/customers.arrow")).unwrap()).unwrap();
    let orders = Dataset::from_ipc(fs::read(format!("{SEGMENTS}/link_orders.arrow")).unwrap()).unwrap();
    let mode = NormalizeKey::parse(mode).unwrap();
    let link = Link::new("orders", &customers, &orders, ("email", "Email"), mode).unwrap();
    (customers, vec![link])
}

fn link_query(config: &LinkConfig, dialect: Dialect) -> String {
    let (customers, links) = link_data(&config.mode);
    let sql = SqlOptions { dialect, table: "customers".into(), suppress_small_cells: false };
    sql_for_analysis_linked(customers.schema(), &links, &[], &config.options, &sql).unwrap()
}

/// Writes the link configs' queries (`cargo test --test scaleout_sql -- --ignored write_link_queries`), the input
/// of `scripts/gen_scaleout_link_fixtures.py` (which runs this itself).
#[test]
#[ignore = "input of scripts/gen_scaleout_link_fixtures.py"]
fn write_link_queries() {
    fs::create_dir_all(LINKS).unwrap();
    for config in link_configs() {
        for (d, dialect) in DIALECTS {
            fs::write(format!("{LINKS}/{}.{d}.sql", config.name), link_query(&config, dialect) + "\n").unwrap();
        }
    }
}

/// The committed queries are the ones the engines ran: the SQL has not drifted since.
#[test]
fn link_queries_have_not_drifted() {
    for config in link_configs() {
        for (d, dialect) in DIALECTS {
            let path = format!("{LINKS}/{}.{d}.sql", config.name);
            let committed = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(committed.trim_end(), link_query(&config, dialect), "{path}");
        }
    }
}

/// The engines whose aggregates of the link queries are committed (scripts/gen_scaleout_link_fixtures.py). With one
/// correlated subquery per link aggregate, Spark's optimizer did not finish planning a 25-segment query in 50
/// minutes; with the joined pre-aggregated tables (src/segments/links_joined.rs) all six queries run in 3 minutes.
const LINK_ENGINES: [&str; 3] = ["duckdb", "postgres", "spark"];

/// DuckDB's, PostgreSQL's and Spark's aggregates of the link queries give the report `analyze` gives with links.
#[test]
fn link_engine_aggregates_give_the_analyze_report() {
    let configs = link_configs();
    let mut checked = 0;
    for engine in LINK_ENGINES {
        let mut worst: f64 = 0.0;
        for config in &configs {
            let path = format!("{LINKS}/{engine}_{}.arrow", config.name);
            let bytes =
                fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (scripts/gen_scaleout_link_fixtures.py)"));
            let (customers, links) = link_data(&config.mode);
            let o = &config.options;
            let want = report_json(&analyze_linked(&customers, &links, &mut SegmentCache::default(), o).unwrap());
            let plan = Plan::new_linked(Some(customers.schema()), o, &links).unwrap();
            let summary = summary_from_rows(&rows_from_ipc(bytes).unwrap(), &plan).unwrap();
            let got = report_json(&analyze_summary(&summary, o).unwrap());
            // 1e-11: a revenue lift of ~2e-4 (a difference of two means that nearly cancel) amplifies the sums'
            // ~1e-15 rounding differences to ~1e-12; every count is exact.
            compare(&got, &want, &format!("{engine}/{}", config.name), "", 1e-11, &mut worst);
            checked += 1;
        }
        eprintln!("{engine} (links): max relative float difference {worst:e}");
    }
    assert_eq!(checked, configs.len() * LINK_ENGINES.len());
}

#[test]
fn link_tables_name_the_linked_tables() {
    let (customers, links) = link_data("email");
    let o = options(json!({
        "segments": { "repeat": "COUNT(orders WHERE \"Created at\" >= -90d) >= 2", "fi": "country = 'FI'" },
        "variant": "country", "control": "DE", "conversion": "is_subscribed", "revenue": null, "referenceDate": "2026-11-01",
    }));
    let tables = [("orders".to_string(), "shop.orders".to_string())];
    for (_, dialect) in DIALECTS {
        let sql = SqlOptions { dialect, table: "analytics.customers".into(), suppress_small_cells: false };
        let q = sql_for_analysis_linked(customers.schema(), &links, &tables, &o, &sql).unwrap();
        let (shop, c) = (format!("{}.{}", dialect.ident("shop"), dialect.ident("orders")), dialect.ident("c"));
        // One pre-aggregated table per link, joined on the normalized keys (src/segments/links_joined.rs).
        let key = format!("NULLIF(lower(trim(o.{})), '')", dialect.ident("Email"));
        assert!(q.contains(&format!("FROM {shop} o\n  GROUP BY {key}\n)")), "{q}");
        let join = format!(
            "LEFT JOIN {} AS {l1} ON {l1}.{} = NULLIF(lower(trim({c}.{})), '')",
            dialect.ident("segmetry_link_1"),
            dialect.ident("segmetry_key"),
            dialect.ident("email"),
            l1 = dialect.ident("l1")
        );
        assert!(q.contains(&join), "{q}");
        assert!(q.contains(&format!("{}.{} AS {c}", dialect.ident("analytics"), dialect.ident("customers"))), "{q}");
    }
    // Without link rules the query is unchanged (no alias).
    let plain = options(json!({
        "segments": { "fi": "country = 'FI'" }, "variant": "country", "conversion": "is_subscribed", "revenue": null,
        "referenceDate": "2026-11-01",
    }));
    let sql = SqlOptions { dialect: Dialect::DuckDb, table: "customers".into(), suppress_small_cells: false };
    assert_eq!(
        sql_for_analysis_linked(customers.schema(), &links, &tables, &plain, &sql).unwrap(),
        sql_for_analysis(customers.schema(), &plain, &sql).unwrap()
    );
    // A misspelt link, an empty table name, a link rule without the links.
    let e = links_with_tables(&links, &[("order".into(), "x".into())]).unwrap_err();
    assert!(e.code == ErrorCode::InvalidArgument && e.message.contains("`orders`"), "{}", e.message);
    let e = links_with_tables(&links, &[("orders".into(), "shop.".into())]).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    let e = sql_for_analysis(customers.schema(), &o, &sql).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownColumn, "{}", e.message);
}
