//! Link aggregates (`COUNT`/`EXISTS`/`SUM`/`MIN`/`MAX` over a linked orders table) checked against DuckDB's
//! correlated subqueries; see scripts/gen_link_fixtures.py for how the fixtures are made. The SQL `link_sql`
//! writes must equal the text the generator ran in DuckDB (and found to give the same count).

use std::path::PathBuf;

use segmetry::ingest::Dataset;
use segmetry::prepare::NormalizeKey;
use segmetry::segments::lexer::CmpOp;
use segmetry::segments::links::{evaluate_link, link_sql, Aggregate, Link, LinkTest};
use segmetry::segments::{Dialect, Rule, RuleOptions, SegmentCache};
use segmetry::ErrorCode;

fn load(file: &str) -> Dataset {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/links").join(file);
    Dataset::from_ipc(std::fs::read(path).unwrap()).unwrap()
}

fn op(text: &str) -> CmpOp {
    match text {
        "=" => CmpOp::Eq,
        "!=" => CmpOp::Ne,
        "<" => CmpOp::Lt,
        "<=" => CmpOp::Le,
        ">" => CmpOp::Gt,
        ">=" => CmpOp::Ge,
        other => panic!("unknown operator {other}"),
    }
}

#[test]
fn link_names_and_keys_are_checked() {
    let (customers, orders) = (load("customers.arrow"), load("orders.arrow"));
    for name in ["", "2x", "order history", "AND"] {
        let e = Link::new(name, &customers, &orders, ("Email", "Email"), NormalizeKey::Email).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument, "{name}");
    }
    let e = Link::new("orders", &customers, &orders, ("Email", "E-mail"), NormalizeKey::Email).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnknownColumn);
}

#[test]
fn link_aggregates_match_duckdb() {
    let customers = load("customers.arrow");
    let orders = load("orders.arrow");
    let options = RuleOptions::with_reference_date("2026-11-01").unwrap();
    let text =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/links/cases.json"))
            .unwrap();
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert!(cases.len() >= 20);
    for case in cases {
        let mode = NormalizeKey::parse(case["mode"].as_str().unwrap()).unwrap();
        let link = Link::new("orders", &customers, &orders, ("Email", "Email"), mode).unwrap();
        let column = case["column"].as_str().map(|c| orders.column_index(c).unwrap());
        let aggregate = match (case["aggregate"].as_str().unwrap(), column) {
            ("COUNT", _) => Aggregate::Count,
            ("EXISTS", _) => Aggregate::Exists,
            ("SUM", Some(c)) => Aggregate::Sum(c),
            ("MIN", Some(c)) => Aggregate::Min(c),
            ("MAX", Some(c)) => Aggregate::Max(c),
            other => panic!("bad case {other:?}"),
        };
        let cmp = case["op"].as_str().map(|o| (op(o), case["value"].as_f64().unwrap()));
        let inner = case["where"].as_str().map(|w| Rule::parse(w, orders.schema(), &options).unwrap());
        let test = LinkTest { aggregate, cmp };
        let (t, u) = evaluate_link(&customers, &link, inner.as_ref(), test).unwrap();
        let sql = link_sql(Dialect::DuckDb, &link, customers.schema(), "orders", "c", inner.as_ref(), test).unwrap();
        assert_eq!(sql, case["sql"].as_str().unwrap());
        assert_eq!(t.count(), case["count"].as_u64().unwrap() as usize, "{case}");
        // Only SUM/MIN/MAX can be NULL; COUNT and EXISTS are never UNKNOWN.
        if matches!(aggregate, Aggregate::Count | Aggregate::Exists) {
            assert_eq!(u.count(), 0, "{case}");
        }
    }
}

#[test]
fn link_rules_match_duckdb_and_round_trip() {
    let (customers, orders) = (load("customers.arrow"), load("orders.arrow"));
    let options = RuleOptions::with_reference_date("2026-11-01").unwrap();
    let text =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/links/cases.json"))
            .unwrap();
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let mut cache = SegmentCache::default();
    for case in cases {
        let mode = NormalizeKey::parse(case["mode"].as_str().unwrap()).unwrap();
        let links = [Link::new("orders", &customers, &orders, ("Email", "Email"), mode).unwrap()];
        let text = case["rule"].as_str().unwrap();
        let rule = Rule::parse_linked(text, &customers, &links, &options).unwrap();
        let count = case["count"].as_u64().unwrap() as usize;
        assert_eq!(rule.evaluate(&customers).unwrap().count(), count, "{text}");
        assert_eq!(cache.size(&customers, &rule).unwrap(), count, "{text}");
        assert_eq!(rule.to_sql_outer(Dialect::DuckDb, "c"), case["sql"].as_str().unwrap(), "{text}");
        let again = Rule::parse_linked(rule.canonical(), &customers, &links, &options).unwrap();
        assert_eq!(again.canonical(), rule.canonical());
        assert_eq!(again.expr_without_spans(), rule.expr_without_spans());
        // Negation is three-valued: NOT of a NULL SUM/MIN/MAX comparison is not a member either.
        let not = Rule::parse_linked(&format!("NOT {text}"), &customers, &links, &options).unwrap();
        assert!(not.evaluate(&customers).unwrap().count() <= customers.num_rows() - count, "{text}");
    }
}

#[test]
fn link_rule_errors_point_at_the_problem() {
    let (customers, orders) = (load("customers.arrow"), load("orders.arrow"));
    let links = [Link::new("orders", &customers, &orders, ("Email", "Email"), NormalizeKey::Email).unwrap()];
    let options = RuleOptions::with_reference_date("2026-11-01").unwrap();
    for (rule, code, span) in [
        ("COUNT(refunds) >= 1", ErrorCode::UnknownColumn, (6, 13)),
        ("COUNT(orders WHERE Nope = 1) >= 1", ErrorCode::UnknownColumn, (19, 23)),
        ("SUM(orders.\"Lineitem sku\") > 1", ErrorCode::TypeMismatch, (11, 25)),
        ("COUNT(orders) >= 'x'", ErrorCode::TypeMismatch, (17, 20)),
        ("SUM(orders) > 1", ErrorCode::RuleSyntax, (4, 10)),
        ("COUNT(orders.Total) > 1", ErrorCode::RuleSyntax, (6, 18)),
        ("COUNT(orders WHERE \"Created at\" >= -90d", ErrorCode::RuleSyntax, (39, 39)),
        ("COUNT(orders)", ErrorCode::RuleSyntax, (13, 13)),
        ("EXISTS(orders WHERE COUNT(orders) > 1)", ErrorCode::UnknownColumn, (26, 32)),
    ] {
        let e = Rule::parse_linked(rule, &customers, &links, &options).unwrap_err();
        assert_eq!((e.code, e.span), (code, Some(span)), "{rule}: {}", e.message);
    }
    // Without links, the link name is unknown and the message says how to link one.
    let e = Rule::parse_for("EXISTS(orders)", &customers, &options).unwrap_err();
    assert!(e.message.contains("ds.link('orders'"), "{}", e.message);
    // The parenthesis of a link aggregate counts towards the nesting bound.
    let deep = |nots: usize| format!("{}EXISTS(orders WHERE NOT Total > 1)", "NOT ".repeat(nots));
    assert!(Rule::parse_linked(&deep(62), &customers, &links, &options).is_ok());
    let e = Rule::parse_linked(&deep(63), &customers, &links, &options).unwrap_err();
    assert_eq!(e.code, ErrorCode::RuleSyntax);
}

#[test]
fn link_sql_quotes_for_each_dialect() {
    let (customers, orders) = (load("customers.arrow"), load("orders.arrow"));
    let links = [Link::new("orders", &customers, &orders, ("Email", "Email"), NormalizeKey::Text).unwrap()];
    let options = RuleOptions::with_reference_date("2026-11-01").unwrap();
    let rule =
        Rule::parse_linked(r#"EXISTS(orders WHERE "Lineitem sku" = 'it''s')"#, &customers, &links, &options).unwrap();
    assert_eq!(
        rule.to_sql(Dialect::Spark),
        r"EXISTS (SELECT 1 FROM `orders` o WHERE NULLIF(lower(upper(trim(o.`Email`))), '') = NULLIF(lower(upper(trim(`customers`.`Email`))), '') AND (`Lineitem sku` = 'it\'s'))"
    );
    assert_eq!(
        rule.to_sql(Dialect::Postgres),
        r#"EXISTS (SELECT 1 FROM "orders" o WHERE NULLIF(lower(upper(trim(o."Email"))), '') = NULLIF(lower(upper(trim("customers"."Email"))), '') AND ("Lineitem sku" = 'it''s'))"#
    );
}

/// The customers fixture with a `variant` column (A on even rows, B on odd), for analyses.
fn with_variants(customers: &Dataset) -> Dataset {
    use std::sync::Arc;
    let mut fields: Vec<arrow_schema::FieldRef> = customers.schema().fields().iter().cloned().collect();
    fields.push(Arc::new(arrow_schema::Field::new("variant", arrow_schema::DataType::Utf8, true)));
    let schema = Arc::new(arrow_schema::Schema::new(fields));
    let mut row = 0usize;
    let batches = customers
        .batches()
        .iter()
        .map(|b| {
            let labels: Vec<&str> = (row..row + b.num_rows()).map(|i| if i % 2 == 0 { "A" } else { "B" }).collect();
            row += b.num_rows();
            let mut columns = b.columns().to_vec();
            columns.push(Arc::new(arrow_array::StringArray::from(labels)));
            arrow_array::RecordBatch::try_new(schema.clone(), columns).unwrap()
        })
        .collect();
    Dataset::from_batches(schema, batches).unwrap()
}

#[test]
fn analyze_sees_links_as_segment_does() {
    use segmetry::metrics::{analyze_linked, AnalysisOptions, SegmentSpec};
    let (customers, orders) = (with_variants(&load("customers.arrow")), load("orders.arrow"));
    let text =
        std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/links/cases.json"))
            .unwrap();
    let cases: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let options = RuleOptions::with_reference_date("2026-11-01").unwrap();
    for mode in ["email", "text", "none"] {
        let links =
            [Link::new("orders", &customers, &orders, ("Email", "Email"), NormalizeKey::parse(mode).unwrap()).unwrap()];
        let cases: Vec<&serde_json::Value> = cases.iter().filter(|c| c["mode"] == mode).collect();
        assert!(!cases.is_empty(), "{mode}");
        let segments = cases
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("s{i}"), SegmentSpec::Rule(c["rule"].as_str().unwrap().to_string())))
            .collect();
        let analysis = AnalysisOptions {
            segments,
            control: Some("A".into()),
            conversion: None,
            revenue: None,
            reference_date: Some("2026-11-01".into()),
            ..Default::default()
        };
        let report = analyze_linked(&customers, &links, &mut SegmentCache::default(), &analysis).unwrap();
        assert_eq!(report.segments.len(), cases.len() + 1);
        for (case, segment) in cases.iter().zip(&report.segments[1..]) {
            let count = case["count"].as_u64().unwrap() as f64;
            // The size DuckDB counted for the correlated subquery, and its split by variant.
            assert_eq!(segment.size, Some(count), "{case}");
            let rule = Rule::parse_linked(case["rule"].as_str().unwrap(), &customers, &links, &options).unwrap();
            let bits = rule.evaluate(&customers).unwrap();
            let even = (0..customers.num_rows()).filter(|&r| r % 2 == 0 && bits.get(r)).count() as f64;
            let n: Vec<Option<f64>> = segment.variants.iter().map(|v| v.n).collect();
            assert_eq!(n, [Some(even), Some(count - even)], "{case}");
            assert_eq!(segment.sql.as_deref(), Some(rule.to_sql(Dialect::DuckDb).as_str()));
        }
    }
    // Without the link, the analysis names the segment and says how to link the table.
    let analysis = AnalysisOptions {
        segments: vec![("buyers".into(), SegmentSpec::Rule("EXISTS(orders)".into()))],
        conversion: None,
        revenue: None,
        reference_date: Some("2026-11-01".into()),
        ..Default::default()
    };
    let e = analyze_linked(&customers, &[], &mut SegmentCache::default(), &analysis).unwrap_err();
    assert!(e.message.starts_with("segment `buyers`") && e.message.contains("ds.link('orders'"), "{}", e.message);
}
