//! Built-in segmentations against references computed independently by `scripts/gen_builtin_fixtures.py`:
//! DuckDB `NTILE(5)` scores and hand-written stage SQL for RFM and lifecycle, scikit-learn `KMeans` +
//! `silhouette_score` for clusters.
//!
//! With `BUILTIN_SQL_OUT=path` set, the SQL the Rust code generates is written there for
//! `gen_builtin_fixtures.py --check-sql path`, which runs it in DuckDB.

use std::collections::{BTreeMap, HashMap};

use arrow_array::cast::AsArray;
use arrow_array::types::Int64Type;
use serde_json::Value;

use segmetry::ingest::Dataset;
use segmetry::segments::builtin::{
    self, BuiltinSegment, ClusterOptions, LifecycleOptions, RfmOptions, RFM_SEGMENT_NAMES,
};
use segmetry::ErrorCode;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/builtin");

fn load(name: &str) -> Dataset {
    Dataset::from_ipc(std::fs::read(format!("{DIR}/{name}")).unwrap()).unwrap()
}

fn expected(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{DIR}/{name}")).unwrap()).unwrap()
}

fn customer_ids(ds: &Dataset) -> Vec<i64> {
    let index = ds.column_index("customer_id").unwrap();
    ds.column_chunks(index).flat_map(|c| c.as_primitive::<Int64Type>().values().to_vec()).collect()
}

fn sizes(segments: &[BuiltinSegment]) -> BTreeMap<String, usize> {
    segments.iter().map(|s| (s.name.clone(), s.size())).collect()
}

fn check_rfm(options: &RfmOptions, scores_key: &str, counts_key: &str) -> builtin::RfmResult {
    let ds = load("customers.arrow");
    let want = expected("rfm_expected.json");
    let result = builtin::rfm(&ds, options).unwrap();
    let ids = customer_ids(&ds);
    let want_scores = want[scores_key].as_object().unwrap();
    assert_eq!(result.scored, want["scored"].as_u64().unwrap() as usize);
    assert_eq!(result.prospects, want["prospects"].as_u64().unwrap() as usize);
    assert_eq!(result.unscored, want["unscored"].as_u64().unwrap() as usize);
    let mut checked = 0;
    for (row, id) in ids.iter().enumerate() {
        let got = [result.scores.recency[row], result.scores.frequency[row], result.scores.monetary[row]];
        let segment = &result.segments[usize::from(result.scores.segment[row])];
        assert!(segment.members.get(row), "row {row} not in its own segment");
        match want_scores.get(&id.to_string()) {
            Some(w) => {
                let w: Vec<u8> = (0..3).map(|i| w[i].as_u64().unwrap() as u8).collect();
                assert_eq!(got.to_vec(), w, "scores of customer {id} ({scores_key})");
                let w_name = want_scores[&id.to_string()][3].as_str().unwrap();
                assert_eq!(segment.name, w_name, "segment of customer {id}");
                checked += 1;
            }
            None => {
                assert_eq!(got, [0, 0, 0], "customer {id} should be unscored");
                assert!(segment.name == "Prospects" || segment.name == "Unscored");
            }
        }
    }
    assert_eq!(checked, result.scored);
    let got_sizes = sizes(&result.segments);
    for (name, count) in want[counts_key].as_object().unwrap() {
        assert_eq!(got_sizes[name], count.as_u64().unwrap() as usize, "size of {name}");
    }
    assert_eq!(got_sizes["Prospects"], result.prospects);
    assert_eq!(got_sizes["Unscored"], result.unscored);
    assert_eq!(got_sizes.values().sum::<usize>(), ds.num_rows(), "segments partition the rows");
    let names: Vec<&str> = result.segments.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, RFM_SEGMENT_NAMES.to_vec());
    result
}

#[test]
fn rfm_matches_duckdb_ntile_with_numeric_id() {
    let options = RfmOptions { id: Some("customer_id".into()), ..RfmOptions::default() };
    let result = check_rfm(&options, "scoresById", "segmentCountsById");
    // NTILE bucket sizes: 897 scored → 180, 180, 179, 179, 179.
    let counts: Vec<usize> = result.quintiles.frequency.iter().map(|r| r.count).collect();
    assert_eq!(counts, vec![180, 180, 179, 179, 179]);
    assert_eq!(result.reference_date, None);
    // Recency buckets: score 5 holds the smallest day counts.
    let r = &result.quintiles.recency;
    assert!(r[4].max <= r[0].min, "{r:?}");
    dump_sql("rfm", &result.segments);
}

#[test]
fn rfm_matches_duckdb_ntile_with_text_id() {
    let options = RfmOptions { id: Some("customer_code".into()), ..RfmOptions::default() };
    check_rfm(&options, "scoresByCode", "segmentCountsByCode");
}

#[test]
fn rfm_with_last_order_date_equals_days() {
    let options =
        RfmOptions { id: Some("customer_id".into()), recency: "last_order_date".into(), ..RfmOptions::default() };
    let result = check_rfm(&options, "scoresById", "segmentCountsById");
    // Default reference: the latest last-order date (some customer ordered 0 days before 2024-06-30).
    assert_eq!(result.reference_date.as_deref(), Some("2024-06-30"));
    let with_reference = builtin::rfm(
        &load("customers.arrow"),
        &RfmOptions { reference_date: Some("2024-07-10".into()), ..options },
    )
    .unwrap();
    assert_eq!(with_reference.scores, result.scores, "the reference date does not change the order");
    assert_eq!(with_reference.quintiles.recency[4].min, 10.0);
}

#[test]
fn lifecycle_matches_hand_written_sql() {
    let ds = load("customers.arrow");
    for (i, case) in expected("lifecycle_expected.json").as_array().unwrap().iter().enumerate() {
        let options: LifecycleOptions = serde_json::from_value(case["options"].clone()).unwrap();
        let segments = builtin::lifecycle(&ds, &options).unwrap();
        let got = sizes(&segments);
        for (name, count) in case["counts"].as_object().unwrap() {
            let count = count.as_u64().unwrap() as usize;
            assert_eq!(got.get(name).copied().unwrap_or(0), count, "case {i}: {name}");
        }
        // Mutually exclusive and exhaustive.
        let mut union = segmetry::segments::Bitmap::zeros(ds.num_rows());
        for s in &segments {
            assert_eq!(union.intersection_count(&s.members), 0, "case {i}: {} overlaps", s.name);
            union.or_assign(&s.members);
        }
        assert_eq!(union.count(), ds.num_rows());
        dump_sql(&format!("lifecycle{i}"), &segments);
    }
}

#[test]
fn lifecycle_sql_is_rule_style() {
    let ds = load("customers.arrow");
    let segments = builtin::lifecycle(&ds, &LifecycleOptions::default()).unwrap();
    let sql: HashMap<&str, &str> = segments.iter().map(|s| (s.name.as_str(), s.sql.as_deref().unwrap())).collect();
    assert_eq!(sql["Prospect"], r#""orders_count" <= 0"#);
    assert_eq!(sql["Loyal"], r#""orders_count" >= 5 AND "last_order_days" <= 180"#);
    assert_eq!(sql["Lapsed"], r#""orders_count" > 0 AND "last_order_days" > 180"#);
    assert_eq!(sql["New"], r#""orders_count" > 0 AND "orders_count" <= 1 AND "last_order_days" <= 180"#);
    assert_eq!(sql["Occasional"], r#""orders_count" > 1 AND "orders_count" < 5 AND "last_order_days" <= 180"#);
    let dated = LifecycleOptions {
        recency: "last_order_date".into(),
        reference_date: Some("2024-06-30".into()),
        ..LifecycleOptions::default()
    };
    let segments = builtin::lifecycle(&ds, &dated).unwrap();
    assert_eq!(
        segments[4].sql.as_deref(),
        Some(r#""orders_count" > 0 AND "last_order_date" < DATE '2024-01-02'"#),
        "180 days before 2024-06-30 is 2024-01-02"
    );
}

#[test]
fn clusters_match_scikit_learn_on_blobs() {
    let ds = load("blobs.arrow");
    let want = expected("clusters_expected.json");
    let columns: Vec<String> =
        want["columns"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()).collect();
    let options = ClusterOptions { columns: columns.clone(), seed: Some(11), ..ClusterOptions::default() };
    let result = builtin::clusters(&ds, &options).unwrap();
    assert_eq!(result.k as u64, want["bestK"].as_u64().unwrap(), "silhouette picks the blob count: {result:?}");
    assert_eq!(result.clustered as u64, want["clustered"].as_u64().unwrap());
    assert_eq!(result.unclustered, ds.num_rows() - result.clustered);
    assert_eq!(result.sample_size, result.clustered, "sample covers all rows, so the silhouette is exact");
    for (c, (got, want)) in result.means.iter().zip(want["means"].as_array().unwrap()).enumerate() {
        close(*got, want.as_f64().unwrap(), 1e-9, &format!("mean {c}"));
    }
    for (c, (got, want)) in result.std_devs.iter().zip(want["stdDevs"].as_array().unwrap()).enumerate() {
        close(*got, want.as_f64().unwrap(), 1e-9, &format!("std {c}"));
    }
    let reference = want["perK"].as_array().unwrap().iter().find(|e| e["k"] == want["bestK"]).unwrap();
    let want_sizes: Vec<usize> =
        reference["sizes"].as_array().unwrap().iter().map(|s| s.as_u64().unwrap() as usize).collect();
    let got_sizes: Vec<usize> = result.clusters.iter().map(|c| c.size).collect();
    assert_eq!(got_sizes, want_sizes);
    close(result.inertia, reference["inertia"].as_f64().unwrap(), 1e-6, "inertia");
    let silhouette = result.silhouette.iter().find(|s| s.k == result.k).unwrap().score.unwrap();
    close(silhouette, reference["silhouette"].as_f64().unwrap(), 1e-9, "silhouette");
    for (cluster, want_centroid) in result.clusters.iter().zip(reference["centroids"].as_array().unwrap()) {
        for (got, want) in cluster.centroid.iter().zip(want_centroid.as_array().unwrap()) {
            close(*got, want.as_f64().unwrap(), 1e-9, &cluster.name);
        }
    }
    // Every tried k is reported; the chosen one has the highest score.
    assert_eq!(result.silhouette.iter().map(|s| s.k).collect::<Vec<_>>(), (2..=8).collect::<Vec<_>>());
    let best = result.silhouette.iter().filter_map(|s| s.score).fold(f64::MIN, f64::max);
    assert_eq!(silhouette, best);
    // Segments: one per cluster, largest first, plus Unclustered; they partition the rows.
    let names: Vec<&str> = result.segments.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Cluster 1", "Cluster 2", "Cluster 3", "Cluster 4", "Unclustered"]);
    assert_eq!(result.segments.iter().map(BuiltinSegment::size).sum::<usize>(), ds.num_rows());
    for (row, &label) in result.labels.iter().enumerate() {
        let segment = if label == 0 { 4 } else { usize::from(label) - 1 };
        assert!(result.segments[segment].members.get(row));
    }
}

#[test]
fn clusters_given_k_and_seeds() {
    let ds = load("blobs.arrow");
    let want = expected("clusters_expected.json");
    let columns = vec!["visits".to_string(), "revenue".to_string(), "discount_rate".to_string()];
    let base = ClusterOptions { columns, k: Some(4), ..ClusterOptions::default() };
    let first = builtin::clusters(&ds, &ClusterOptions { seed: Some(1), ..base.clone() }).unwrap();
    let again = builtin::clusters(&ds, &ClusterOptions { seed: Some(1), ..base.clone() }).unwrap();
    assert_eq!(first, again, "same seed, same result");
    assert_eq!(first.silhouette.len(), 1);
    // Well-separated blobs: any seed finds the same partition (labels may be drawn differently inside, but
    // clusters are ordered by size, so the results agree).
    for seed in 2..6 {
        let other = builtin::clusters(&ds, &ClusterOptions { seed: Some(seed), ..base.clone() }).unwrap();
        assert_eq!(other.seed, seed);
        assert_eq!(other.labels, first.labels, "seed {seed}");
    }
    let reference = &want["perK"][2];
    assert_eq!(reference["k"], 4);
    close(first.inertia, reference["inertia"].as_f64().unwrap(), 1e-6, "inertia");
    // The clusters for k = 4 are the same whether k was given or chosen (k-means stream = k).
    let chosen = builtin::clusters(&ds, &ClusterOptions { k: None, seed: Some(1), ..base.clone() }).unwrap();
    assert_eq!(chosen.labels, first.labels);
    // A constant column is left out with a warning; its centroid coordinate is the constant.
    let mut columns = base.columns.clone();
    columns.push("constant".into());
    let with_constant = builtin::clusters(&ds, &ClusterOptions { columns, seed: Some(1), ..base.clone() }).unwrap();
    assert_eq!(with_constant.labels, first.labels);
    assert_eq!(with_constant.warnings.len(), 1, "{:?}", with_constant.warnings);
    assert!(with_constant.clusters.iter().all(|c| c.centroid[3] == 3.0));
    // A text column is a type mismatch naming the column.
    let err = builtin::clusters(&ds, &ClusterOptions { columns: vec!["segment_hint".into()], ..base.clone() })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::TypeMismatch);
    assert!(err.message.contains("segment_hint") && err.message.contains("utf8"), "{}", err.message);
    let err = builtin::clusters(&ds, &ClusterOptions { columns: vec!["revenu".into()], ..base }).unwrap_err();
    assert_eq!(err.code, ErrorCode::UnknownColumn);
    assert!(err.message.contains("did you mean `revenue`"), "{}", err.message);
}

fn close(got: f64, want: f64, rel: f64, what: &str) {
    assert!((got - want).abs() <= rel * want.abs().max(1.0), "{what}: got {got}, want {want}");
}

/// Append the segments' SQL to `$BUILTIN_SQL_OUT` (a JSON list) for `gen_builtin_fixtures.py --check-sql`.
fn dump_sql(group: &str, segments: &[BuiltinSegment]) {
    let Ok(path) = std::env::var("BUILTIN_SQL_OUT") else { return };
    let path = format!("{path}.{group}.json");
    let entries: Vec<Value> = segments
        .iter()
        .filter_map(|s| {
            s.sql.as_ref().map(|sql| serde_json::json!({"group": group, "name": s.name, "sql": sql, "size": s.size()}))
        })
        .collect();
    std::fs::write(path, serde_json::to_string_pretty(&entries).unwrap()).unwrap();
}
