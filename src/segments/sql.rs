//! `toSql()`: a SQL `WHERE` condition with exactly the rule's semantics, for DuckDB, Spark SQL and PostgreSQL.
//!
//! SQL's three-valued logic is the rule language's, so the translation is structural. What needs care:
//! identifiers are always quoted (`"x"`, Spark: `` `x` ``); strings use `''` (Spark: backslash escapes);
//! relative dates are resolved against the reference date into literals; a date literal compared with a
//! timestamp column becomes midnight UTC as a timestamp literal of the column's flavour (naive or with time
//! zone, DuckDB `_NS` for nanosecond columns) so no session time zone takes part; float32 columns compare
//! with `CAST(x AS REAL)` so the literal is rounded to float32 like the evaluator does; PostgreSQL text order
//! uses `COLLATE "C"` (byte order).

use arrow_schema::SchemaRef;

use super::calendar::{format_date, format_timestamp, NANOS_PER_DAY};
use super::canonical::{level, operand};
use super::links::{subquery, Aggregate, Link};
use super::links_joined::{joined_test, JoinedAggregates};
use super::parser::{Expr, HasMode, LinkFunc, LinkPred, Literal, Predicate, Test, Value};
use super::resolve::{temporal, ColKind, Temporal};
use super::textfn::{tag_key, LikePattern};
use crate::error::{Error, Result};

/// SQL dialects `toSql` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// DuckDB (also DuckDB-WASM).
    DuckDb,
    /// Spark SQL 3.4+.
    Spark,
    /// PostgreSQL 11+.
    Postgres,
}

impl Dialect {
    /// `duckdb`, `spark`, `postgres` (case-insensitive; `postgresql` and `sparksql` too).
    pub fn parse(name: &str) -> Result<Dialect> {
        match name.to_ascii_lowercase().as_str() {
            "duckdb" => Ok(Dialect::DuckDb),
            "spark" | "sparksql" | "spark_sql" => Ok(Dialect::Spark),
            "postgres" | "postgresql" | "pg" => Ok(Dialect::Postgres),
            other => Err(Error::invalid_argument(
                "dialect",
                format!("`{other}` is not a supported SQL dialect; use 'duckdb', 'spark' or 'postgres'"),
            )),
        }
    }

    /// `name` as a quoted identifier: `"a""b"` (standard SQL), Spark `` `a``b` ``. Every SQL text segmetry writes
    /// (toSql, built-in segments, scale-out queries) quotes through here.
    pub fn ident(self, name: &str) -> String {
        match self {
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
            Dialect::DuckDb | Dialect::Postgres => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// `s` as a string literal: `'it''s'` (standard SQL), Spark `'it\\'s'` (Spark reads backslash escapes, so
    /// backslashes are doubled too).
    pub fn string(self, s: &str) -> String {
        match self {
            Dialect::Spark => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
            Dialect::DuckDb | Dialect::Postgres => format!("'{}'", s.replace('\'', "''")),
        }
    }
}

/// A condition built in code rather than parsed from rule text (the built-in segments' row conditions), printed
/// by the same writer as `toSql` in every dialect, so quoting and dialect differences have one owner.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlCondition {
    expr: Expr,
    schema: SchemaRef,
}

impl SqlCondition {
    /// `expr` over `schema` (its predicates' `column_index` point into `schema`; no relative dates, no links).
    pub(crate) fn new(expr: Expr, schema: SchemaRef) -> SqlCondition {
        SqlCondition { expr, schema }
    }

    /// The condition as a SQL `WHERE` condition of `dialect`.
    pub fn to_sql(&self, dialect: Dialect) -> String {
        SqlWriter { dialect, schema: &self.schema, reference_date: 0, links: &[], outer: "customers", joined: None }
            .expr(&self.expr)
    }
}

pub(crate) struct SqlWriter<'a> {
    pub dialect: Dialect,
    pub schema: &'a SchemaRef,
    pub reference_date: i32,
    /// The tables `COUNT(link …)` and friends may name (each written as a table named like the link).
    pub links: &'a [Link],
    /// The name of the customer table in the caller's query, qualifying its key in link subqueries.
    pub outer: &'a str,
    /// Where link aggregates go when the caller joins them as pre-aggregated tables (`sqlForAnalysis`);
    /// `None` writes each as a correlated subquery.
    pub joined: Option<&'a JoinedAggregates>,
}

impl SqlWriter<'_> {
    pub fn expr(&self, e: &Expr) -> String {
        match e {
            Expr::Or(items) | Expr::And(items) => {
                let (sep, min) = if matches!(e, Expr::Or(_)) { (" OR ", 2) } else { (" AND ", 3) };
                items
                    .iter()
                    .map(|i| if level(i) < min { format!("({})", self.expr(i)) } else { self.expr(i) })
                    .collect::<Vec<_>>()
                    .join(sep)
            }
            Expr::Not(inner) => format!("NOT ({})", self.expr(inner)),
            Expr::Pred(p) => self.pred(p),
            Expr::Link(l) => self.link(l),
        }
    }

    /// A link aggregate as a correlated subquery over the link's table (named like the link unless set), or as a
    /// column of its joined pre-aggregated table.
    fn link(&self, l: &LinkPred) -> String {
        let Some(link) = self.links.iter().find(|k| k.name == l.link) else {
            // Rules are resolved against their links, so every named link exists.
            return "NULL".to_string();
        };
        let linked = link.dataset.schema();
        let column = l.column.as_ref().and_then(|(name, _)| linked.index_of(name).ok()).unwrap_or(0);
        let aggregate = match l.func {
            LinkFunc::Count => Aggregate::Count,
            LinkFunc::Exists => Aggregate::Exists,
            LinkFunc::Sum => Aggregate::Sum(column),
            LinkFunc::Min => Aggregate::Min(column),
            LinkFunc::Max => Aggregate::Max(column),
        };
        let inner = SqlWriter { schema: linked, links: &[], joined: None, ..*self };
        let filter = l.filter.as_deref().map(|f| inner.expr(f));
        let kind = match ColKind::of(linked.field(column).data_type()) {
            Some(k @ (ColKind::Date32 | ColKind::Date64)) if l.column.is_some() => k,
            _ => ColKind::Float64,
        };
        let cmp = l.cmp.as_ref().map(|(op, v)| (*op, self.literal(v, kind)));
        match self.joined {
            Some(joined) => joined_test(self, joined, link, self.schema, aggregate, filter, cmp),
            None => subquery(self, link, self.schema, &link.table, aggregate, filter, cmp),
        }
    }

    fn instant(&self, ns: i128, tz: bool, unit_ns: i128) -> String {
        let text = format_timestamp(ns, ' ');
        let sub_micro = ns.rem_euclid(1000) != 0;
        match (self.dialect, tz) {
            (Dialect::DuckDb, false) if unit_ns == 1 || sub_micro => format!("TIMESTAMP_NS '{text}'"),
            (Dialect::DuckDb, false) => format!("TIMESTAMP '{text}'"),
            (Dialect::DuckDb, true) if unit_ns == 1 => format!("TIMESTAMPTZ_NS '{text}+00'"),
            (Dialect::DuckDb, true) => format!("TIMESTAMPTZ '{text}+00'"),
            (Dialect::Spark, false) => format!("TIMESTAMP_NTZ '{text}'"),
            (Dialect::Spark, true) => format!("TIMESTAMP '{text}+00:00'"),
            (Dialect::Postgres, false) => format!("TIMESTAMP '{text}'"),
            (Dialect::Postgres, true) => format!("TIMESTAMPTZ '{text}+00'"),
        }
    }

    fn literal(&self, l: &Literal, kind: ColKind) -> String {
        match &l.value {
            Value::Number(n) => {
                let text = n.to_text();
                if kind == ColKind::Float32 {
                    let ty = if self.dialect == Dialect::Spark { "FLOAT" } else { "REAL" };
                    format!("CAST({text} AS {ty})")
                } else {
                    text
                }
            }
            Value::Str(s) => self.dialect.string(s),
            Value::Bool(b) => (if *b { "TRUE" } else { "FALSE" }).to_string(),
            other => match (temporal(other, self.reference_date), kind) {
                (Some(Temporal::Date(d)), ColKind::Timestamp(unit, tz)) => {
                    self.instant(i128::from(d) * NANOS_PER_DAY, tz, unit)
                }
                (Some(Temporal::Date(d)), _) => format!("DATE '{}'", format_date(d)),
                (Some(Temporal::Instant(t)), ColKind::Timestamp(unit, tz)) => self.instant(t, tz, unit),
                (Some(Temporal::Instant(t)), _) => self.instant(t, false, 1000),
                (None, _) => "NULL".to_string(),
            },
        }
    }

    /// Literals a dialect cannot compare exactly against a timestamp column, and what to compare instead:
    /// - on a DuckDB nanosecond column (i64 ns since the epoch: 1677-09-21 … 2262-04-11), a bound outside that
    ///   range cannot even be written as `TIMESTAMP_NS`, and every non-null value lies on one side of it;
    /// - on a coarser column, a literal with a sub-microsecond part would be truncated or rounded to µs by the
    ///   engine (DuckDB's `TIMESTAMPTZ`, Spark, PostgreSQL); since column values are whole µs, comparing with
    ///   the literal's µs floor and an adjusted operator is exact.
    fn fold(&self, l: &Literal, kind: ColKind) -> Option<Fold> {
        let ColKind::Timestamp(unit, tz) = kind else { return None };
        let ns = match temporal(&l.value, self.reference_date)? {
            Temporal::Date(d) => i128::from(d) * NANOS_PER_DAY,
            Temporal::Instant(t) => t,
        };
        if unit == 1 {
            if self.dialect != Dialect::DuckDb {
                return None;
            }
            return if ns < i128::from(i64::MIN) {
                Some(Fold::Beyond(std::cmp::Ordering::Less))
            } else if ns > i128::from(i64::MAX) {
                Some(Fold::Beyond(std::cmp::Ordering::Greater))
            } else {
                None
            };
        }
        let sub_micro = ns.rem_euclid(1000);
        // DuckDB compares a TIMESTAMP_NS literal with a naive column exactly (see `instant`).
        if sub_micro == 0 || (self.dialect == Dialect::DuckDb && !tz) {
            return None;
        }
        Some(Fold::Floor(ns - sub_micro))
    }

    /// `col op literal` for a folded literal, with exactly the comparison's three-valued result.
    fn folded_cmp(&self, col: &str, op: super::lexer::CmpOp, fold: Fold, kind: ColKind) -> String {
        use super::lexer::CmpOp::*;
        use std::cmp::Ordering::{Greater, Less};
        // TRUE / FALSE for every non-null value, NULL for null ones.
        let always = |holds: bool| {
            if holds {
                format!("({col} IS NOT NULL OR NULL)")
            } else {
                format!("({col} IS NULL AND NULL)")
            }
        };
        match (fold, op) {
            (_, Eq) => always(false),
            (_, Ne) => always(true),
            (Fold::Beyond(side), _) => always(matches!((op, side), (Gt | Ge, Less) | (Lt | Le, Greater))),
            (Fold::Floor(floor), _) => {
                let ColKind::Timestamp(_, tz) = kind else { return always(false) };
                // v > t ⟺ v ≥ t ⟺ v > floor(t) and v < t ⟺ v ≤ t ⟺ v ≤ floor(t), for whole-µs values v.
                let op = match op {
                    Ge => "> ",
                    Lt => "<=",
                    other => other.as_str(),
                }
                .trim();
                format!("{col} {op} {}", self.instant(floor, tz, 1000))
            }
        }
    }

    fn pred(&self, p: &Predicate) -> String {
        let data_type = self.schema.field(p.column_index).data_type();
        let kind = ColKind::of(data_type).unwrap_or(ColKind::Int);
        let col = operand(p, self.dialect.ident(&p.column));
        let not = if p.negated { "NOT " } else { "" };
        let ordered = |op_is_order: bool| {
            if op_is_order && kind == ColKind::Text && self.dialect == Dialect::Postgres {
                format!("{col} COLLATE \"C\"")
            } else {
                col.clone()
            }
        };
        let lit = |l: &Literal| self.literal(l, kind);
        match &p.test {
            Test::Truthy => col.clone(),
            Test::IsNull => format!("{col} IS {not}NULL"),
            Test::Between(a, b) if self.fold(a, kind).is_some() || self.fold(b, kind).is_some() => {
                use super::lexer::CmpOp::{Ge, Le};
                let bound = |l: &Literal, op| match self.fold(l, kind) {
                    Some(fold) => self.folded_cmp(&col, op, fold, kind),
                    None => format!("{col} {} {}", op.as_str(), lit(l)),
                };
                format!("{not}({} AND {})", bound(a, Ge), bound(b, Le))
            }
            Test::In(items) if items.iter().any(|l| self.fold(l, kind).is_some()) => {
                // Folded items equal no value: drop them; with none left the test is FALSE for non-null rows.
                let kept: Vec<String> = items.iter().filter(|l| self.fold(l, kind).is_none()).map(lit).collect();
                if kept.is_empty() {
                    format!("{not}({col} IS NULL AND NULL)")
                } else {
                    format!("{col} {not}IN ({})", kept.join(", "))
                }
            }
            Test::Cmp(op, l) => {
                if let Some(fold) = self.fold(l, kind) {
                    return self.folded_cmp(&col, *op, fold, kind);
                }
                let order = !matches!(op, super::lexer::CmpOp::Eq | super::lexer::CmpOp::Ne);
                format!(
                    "{} {} {}",
                    ordered(order),
                    if self.dialect == Dialect::Postgres && op.as_str() == "!=" { "<>" } else { op.as_str() },
                    lit(l)
                )
            }
            Test::Between(a, b) => format!("{} {not}BETWEEN {} AND {}", ordered(true), lit(a), lit(b)),
            Test::In(items) => format!("{col} {not}IN ({})", items.iter().map(lit).collect::<Vec<_>>().join(", ")),
            Test::Contains(l) | Test::StartsWith(l) | Test::EndsWith(l) => {
                let Value::Str(s) = &l.value else { return "NULL".into() };
                let arg = self.dialect.string(s);
                let call = match (&p.test, self.dialect) {
                    (Test::Contains(_), Dialect::DuckDb) => format!("contains({col}, {arg})"),
                    (Test::StartsWith(_), Dialect::DuckDb) => format!("starts_with({col}, {arg})"),
                    (Test::EndsWith(_), Dialect::DuckDb) => format!("ends_with({col}, {arg})"),
                    (Test::Contains(_), Dialect::Spark) => format!("contains({col}, {arg})"),
                    (Test::StartsWith(_), Dialect::Spark) => format!("startswith({col}, {arg})"),
                    (Test::EndsWith(_), Dialect::Spark) => format!("endswith({col}, {arg})"),
                    (Test::Contains(_), Dialect::Postgres) => format!("(strpos({col}, {arg}) > 0)"),
                    (Test::StartsWith(_), Dialect::Postgres) => format!("starts_with({col}, {arg})"),
                    (_, Dialect::Postgres) => format!("(right({col}, {}) = {arg})", s.chars().count()),
                    _ => unreachable_call(),
                };
                format!("{not}{call}")
            }
            Test::Like { pattern, escape, case_insensitive } => {
                self.like(&col, not, pattern, escape.as_ref(), *case_insensitive)
            }
            Test::Has(mode, items) => {
                let tags: Vec<String> = items
                    .iter()
                    .map(|l| match &l.value {
                        Value::Str(s) => self.dialect.string(&tag_key(s)),
                        _ => "NULL".to_string(),
                    })
                    .collect();
                format!("{not}{}", self.has(&col, kind == ColKind::TextList, *mode, &tags))
            }
        }
    }

    /// `LIKE` with the pattern rewritten to `\` as escape character (dialects disagree on the default: none in
    /// DuckDB, `\` in PostgreSQL and Spark), so every dialect reads it the same; `ILIKE` as `lower(x) LIKE` with a
    /// lower-cased pattern, which is exactly how the evaluator defines it.
    fn like(&self, col: &str, not: &str, pattern: &Literal, escape: Option<&Literal>, ci: bool) -> String {
        let escape = escape.and_then(|e| match &e.value {
            Value::Str(s) => s.chars().next(),
            _ => None,
        });
        let Value::Str(text) = &pattern.value else { return "NULL".into() };
        let Ok(compiled) = LikePattern::compile(text, escape, ci) else { return "NULL".into() };
        let subject = if ci { format!("lower({col})") } else { col.to_string() };
        format!(
            "{subject} {not}LIKE {} ESCAPE {}",
            self.dialect.string(&compiled.to_escaped()),
            self.dialect.string("\\")
        )
    }

    /// `HAS` / `HAS ANY` / `HAS ALL`: the column's tags (list elements, or text split at `,`), trimmed and
    /// lower-cased, against the listed tags (already normalised SQL strings). Null lists stay NULL.
    fn has(&self, col: &str, is_list: bool, mode: HasMode, tags: &[String]) -> String {
        let list = tags.join(", ");
        match self.dialect {
            Dialect::DuckDb => {
                let source = if is_list { col.to_string() } else { format!("string_split({col}, ',')") };
                let arr = format!("list_transform({source}, lambda x: lower(trim(x)))");
                match mode {
                    HasMode::One => format!("list_contains({arr}, {list})"),
                    HasMode::Any => format!("list_has_any({arr}, [{list}])"),
                    HasMode::All => format!("list_has_all({arr}, [{list}])"),
                }
            }
            Dialect::Spark => {
                // Null elements are dropped first: Spark's array functions turn them into NULL results.
                let source =
                    if is_list { format!("filter({col}, x -> x IS NOT NULL)") } else { format!("split({col}, ',')") };
                let arr = format!("transform({source}, x -> lower(trim(x)))");
                match mode {
                    HasMode::One => format!("array_contains({arr}, {list})"),
                    HasMode::Any => format!("arrays_overlap({arr}, array({list}))"),
                    HasMode::All => format!("forall(array({list}), t -> array_contains({arr}, t))"),
                }
            }
            Dialect::Postgres => {
                let arr = if is_list {
                    format!(
                        "(CASE WHEN {col} IS NOT NULL THEN ARRAY(SELECT lower(trim(x)) FROM unnest({col}) AS t(x) \
                         WHERE x IS NOT NULL) END)"
                    )
                } else {
                    format!("regexp_split_to_array(lower(trim({col})), ' *, *')")
                };
                let op = if mode == HasMode::Any { "&&" } else { "@>" };
                format!("({arr} {op} ARRAY[{list}]::text[])")
            }
        }
    }
}

/// How [`SqlWriter::fold`] rewrites a literal.
#[derive(Debug, Clone, Copy)]
enum Fold {
    /// Outside every non-null value, on this side.
    Beyond(std::cmp::Ordering),
    /// Compare with this µs floor (ns since the epoch) instead.
    Floor(i128),
}

fn unreachable_call() -> String {
    "NULL".to_string()
}
