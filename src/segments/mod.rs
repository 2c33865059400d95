//! Segments: which rows belong to which customer group, as bitmaps.
//!
//! A segment is defined by a rule in a small filter language (see `docs/segments.md`):
//!
//! ```
//! # use std::sync::Arc;
//! # use arrow_array::{Int32Array, StringArray, RecordBatch};
//! # use arrow_schema::{Schema, Field, DataType};
//! use segmetry::segments::{Rule, RuleOptions, Dialect};
//! # let schema = Arc::new(Schema::new(vec![
//! #     Field::new("country", DataType::Utf8, true), Field::new("orders_count", DataType::Int32, true)]));
//! # let batch = RecordBatch::try_new(schema.clone(), vec![
//! #     Arc::new(StringArray::from(vec![Some("FI"), None, Some("SE")])), Arc::new(Int32Array::from(vec![3, 5, 1]))]).unwrap();
//! # let ds = segmetry::ingest::Dataset::from_batches(schema, vec![batch]).unwrap();
//! let options = RuleOptions::with_reference_date("2026-11-01")?;
//! let rule = Rule::parse("country IN ('FI', 'SE') AND orders_count >= 3", ds.schema(), &options)?;
//! assert_eq!(rule.evaluate(&ds)?.count(), 1);
//! assert_eq!(rule.canonical(), "country IN ('FI', 'SE') AND orders_count >= 3");
//! assert_eq!(rule.to_sql(Dialect::DuckDb), r#""country" IN ('FI', 'SE') AND "orders_count" >= 3"#);
//! # Ok::<(), segmetry::Error>(())
//! ```
//!
//! Semantics are exactly SQL's three-valued logic: a row is a member iff the rule is TRUE for it, so
//! `country != 'US'` leaves out rows whose country is null. [`Rule::to_sql`] therefore translates structurally.
//!
//! Pipeline: [`lexer`] → [`parser`] (AST with byte spans) → [`resolve`] (names, types, literals converted into
//! each column's physical domain) → [`eval`] (columnar kernels into bitmaps). [`canonical`] and [`sql`] print
//! the AST. [`SegmentCache`] keeps bitmaps across appends; [`members`] and [`overlap`] read bitmaps out.

pub mod bitmap;
pub mod builtin;
pub mod cache;
pub mod calendar;
pub mod canonical;
pub mod complete;
pub mod diag;
pub mod eval;
pub mod export;
pub mod lexer;
pub mod links;
pub mod links_joined;
pub mod members;
pub mod overlap;
pub mod parser;
pub mod resolve;
pub mod sql;
pub mod textfn;
pub mod tokens;

use arrow_schema::SchemaRef;

pub use bitmap::Bitmap;
pub use cache::SegmentCache;
pub use complete::{complete, Completion};
pub use members::{members, Members};
pub use overlap::overlap;
pub use sql::Dialect;
pub use tokens::{tokenize, RuleToken, TokenKind};

use crate::error::{Error, ErrorCode, Result};
use crate::ingest::Dataset;

/// Options for defining a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleOptions {
    /// The date relative dates count from (`today`, `-90d`), as days since 1970-01-01.
    pub reference_date: i32,
}

impl RuleOptions {
    /// Options with `reference_date` in the one `referenceDate` grammar ([`calendar::parse_reference_date`]:
    /// `YYYY-MM-DD` or a UTC instant; an `INVALID_ARGUMENT` error otherwise). Relative dates count whole days,
    /// so an instant counts from the UTC day it falls on, as SQL's `CAST(ts AS DATE)`.
    pub fn with_reference_date(date: &str) -> Result<Self> {
        let days = calendar::parse_reference_date(date, "referenceDate")?;
        Ok(RuleOptions { reference_date: days.floor() as i32 })
    }

    /// Options from an optional `referenceDate`: today's UTC date when absent (native only: on wasm the facade
    /// passes today's date from JS, so an absent one is an error there).
    pub fn from_reference_date(date: Option<&str>) -> Result<Self> {
        match date {
            Some(date) => RuleOptions::with_reference_date(date),
            #[cfg(not(target_arch = "wasm32"))]
            None => Ok(RuleOptions::today_utc()),
            #[cfg(target_arch = "wasm32")]
            None => {
                Err(Error::invalid_argument("referenceDate", crate::messages::nested("reference_date_required", &[])))
            }
        }
    }

    /// Options with today's UTC date from the system clock (native only; on wasm the facade passes the date).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn today_utc() -> Self {
        RuleOptions { reference_date: calendar::today_utc() }
    }

    /// The reference date as `YYYY-MM-DD`.
    pub fn reference_date_text(&self) -> String {
        calendar::format_date(self.reference_date)
    }
}

/// A parsed, resolved and type-checked segment rule, bound to a schema.
#[derive(Debug, Clone)]
pub struct Rule {
    text: String,
    expr: parser::Expr,
    plan: resolve::Node,
    schema: SchemaRef,
    options: RuleOptions,
    canonical: String,
    links: Vec<links::Link>,
}

impl Rule {
    /// Parse `text`, resolve its columns in `schema` and type-check it. Errors (`RULE_SYNTAX`,
    /// `UNKNOWN_COLUMN`, `TYPE_MISMATCH`) carry the byte span in `text` and a message with a caret excerpt.
    pub fn parse(text: &str, schema: &SchemaRef, options: &RuleOptions) -> Result<Rule> {
        let mut expr = parser::parse(text)?;
        let plan = resolve::resolve(text, &mut expr, schema, options.reference_date)?;
        let canonical = canonical::canonical(&expr);
        let (schema, options) = (schema.clone(), *options);
        Ok(Rule { text: text.to_string(), expr, plan, schema, options, canonical, links: Vec::new() })
    }

    /// [`Rule::parse`] for `dataset`'s schema; type-mismatch messages suggest a real value of the column (the
    /// first non-null one) instead of a generic example.
    pub fn parse_for(text: &str, dataset: &Dataset, options: &RuleOptions) -> Result<Rule> {
        Rule::parse_linked(text, dataset, &[], options)
    }

    /// [`Rule::parse_for`] with linked tables the rule may aggregate over: `COUNT(orders WHERE …) >= 2`,
    /// `EXISTS(…)`, `SUM(orders."Total" …)`, `MIN`, `MAX` (see [`links`]). The rule keeps the links (their
    /// batches are shared, not copied) and evaluates against them.
    pub fn parse_linked(text: &str, dataset: &Dataset, links: &[links::Link], options: &RuleOptions) -> Result<Rule> {
        let example = |column: usize| {
            dataset.column_chunks(column).find_map(|chunk| {
                (0..chunk.len())
                    .find(|&i| chunk.is_valid(i))
                    .and_then(|i| export::cell_text(chunk.as_ref(), i).ok().flatten())
            })
        };
        let mut expr = parser::parse(text)?;
        let plan = resolve::resolve_linked(text, &mut expr, dataset.schema(), options.reference_date, links, &example)?;
        let canonical = canonical::canonical(&expr);
        let (schema, options) = (dataset.schema().clone(), *options);
        let links = links.to_vec();
        Ok(Rule { text: text.to_string(), expr, plan, schema, options, canonical, links })
    }

    /// The text the rule was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Canonical text (parses back to the same rule; relative dates stay relative).
    pub fn canonical(&self) -> &str {
        &self.canonical
    }

    /// The options the rule was defined with.
    pub fn options(&self) -> &RuleOptions {
        &self.options
    }

    /// The AST (column names as the schema spells them).
    pub fn expr(&self) -> &parser::Expr {
        &self.expr
    }

    /// The AST with every span zeroed: equal for rules that mean the same whatever their spelling.
    pub fn expr_without_spans(&self) -> parser::Expr {
        fn lit(l: &mut parser::Literal) {
            l.span = (0, 0);
        }
        fn walk(e: &mut parser::Expr) {
            use parser::{Expr, Test};
            match e {
                Expr::And(v) | Expr::Or(v) => v.iter_mut().for_each(walk),
                Expr::Not(i) => walk(i),
                Expr::Link(l) => {
                    l.span = (0, 0);
                    l.link_span = (0, 0);
                    l.column.iter_mut().for_each(|c| c.1 = (0, 0));
                    l.filter.iter_mut().for_each(|f| walk(f));
                    l.cmp.iter_mut().for_each(|c| lit(&mut c.1));
                }
                Expr::Pred(p) => {
                    p.span = (0, 0);
                    p.column_span = (0, 0);
                    match &mut p.test {
                        Test::Cmp(_, l) | Test::Contains(l) | Test::StartsWith(l) | Test::EndsWith(l) => lit(l),
                        Test::Between(a, b) => {
                            lit(a);
                            lit(b)
                        }
                        Test::In(v) | Test::Has(_, v) => v.iter_mut().for_each(lit),
                        Test::Like { pattern, escape, .. } => {
                            lit(pattern);
                            escape.iter_mut().for_each(lit)
                        }
                        Test::Truthy | Test::IsNull => {}
                    }
                }
            }
        }
        let mut e = self.expr.clone();
        walk(&mut e);
        e
    }

    /// The evaluation plan.
    pub fn plan(&self) -> &resolve::Node {
        &self.plan
    }

    /// Whether the rule uses `today` or a relative date (its meaning depends on the reference date).
    pub fn is_relative(&self) -> bool {
        fn walk(e: &parser::Expr) -> bool {
            use parser::{Expr, Test, Value};
            let rel = |l: &parser::Literal| matches!(l.value, Value::Today | Value::Relative(..));
            match e {
                Expr::And(v) | Expr::Or(v) => v.iter().any(walk),
                Expr::Not(i) => walk(i),
                Expr::Link(l) => l.filter.as_deref().is_some_and(walk) || l.cmp.as_ref().is_some_and(|c| rel(&c.1)),
                Expr::Pred(p) => match &p.test {
                    Test::Cmp(_, l) => rel(l),
                    Test::Between(a, b) => rel(a) || rel(b),
                    Test::In(v) => v.iter().any(rel),
                    _ => false,
                },
            }
        }
        walk(&self.expr)
    }

    /// A SQL condition (for a `WHERE` clause) with exactly the rule's semantics, relative dates resolved
    /// against the reference date.
    pub fn to_sql(&self, dialect: Dialect) -> String {
        self.to_sql_outer(dialect, "customers")
    }

    /// [`Rule::to_sql`] naming the customer table `outer` in link subqueries (`lower(trim("c"."Email"))`);
    /// each linked table is written under its link name.
    pub fn to_sql_outer(&self, dialect: Dialect, outer: &str) -> String {
        self.to_sql_joined(dialect, outer, None)
    }

    /// [`Rule::to_sql_outer`] with link aggregates registered in `joined` and read from its joined tables
    /// (see [`links_joined`]) instead of correlated subqueries, when given.
    pub fn to_sql_joined(
        &self,
        dialect: Dialect,
        outer: &str,
        joined: Option<&links_joined::JoinedAggregates>,
    ) -> String {
        let reference_date = self.options.reference_date;
        sql::SqlWriter { dialect, schema: &self.schema, reference_date, links: &self.links, outer, joined }
            .expr(&self.expr)
    }

    /// Whether the rule aggregates over linked tables (its members change when they get rows).
    pub fn uses_links(&self) -> bool {
        !eval::link_nodes(&self.plan).is_empty()
    }

    /// The member rows of `dataset` (which must have the schema the rule was defined on).
    pub fn evaluate(&self, dataset: &Dataset) -> Result<Bitmap> {
        Ok(evaluate_many(&[self], dataset)?.pop().unwrap_or_else(|| Bitmap::zeros(dataset.num_rows())))
    }

    fn check_schema(&self, dataset: &Dataset) -> Result<()> {
        if self.schema.fields() != dataset.schema().fields() {
            return Err(Error::new(
                ErrorCode::InvalidArgument,
                "the rule was defined on a dataset with a different schema; define it again on this dataset",
            ));
        }
        Ok(())
    }
}

/// Evaluate several rules in one pass over the dataset's batches (shared column tests are computed once).
pub fn evaluate_many(rules: &[&Rule], dataset: &Dataset) -> Result<Vec<Bitmap>> {
    evaluate_from(rules, dataset, 0)
}

/// Evaluate rules over the batches from `first_batch` on (the rows appended since).
pub(crate) fn evaluate_from(rules: &[&Rule], dataset: &Dataset, first_batch: usize) -> Result<Vec<Bitmap>> {
    for rule in rules {
        rule.check_schema(dataset)?;
    }
    let plans: Vec<&resolve::Node> = rules.iter().map(|r| &r.plan).collect();
    // Link aggregates are computed over the whole dataset once (a hash of the linked table per aggregate).
    let mut link_results = eval::LinkResults::new();
    for (r, rule) in rules.iter().enumerate() {
        for node in eval::link_nodes(&rule.plan) {
            if let (Some(link), false) = (rule.links.get(node.link), link_results.contains_key(&(r, node.key.clone())))
            {
                let result = links::evaluate_link_plan(dataset, link, node.filter.as_deref(), node.test)?;
                link_results.insert((r, node.key.clone()), result);
            }
        }
    }
    let first_row = dataset.batches().iter().take(first_batch).map(arrow_array::RecordBatch::num_rows).sum();
    let batches = dataset.batches().get(first_batch..).unwrap_or(&[]);
    eval::evaluate_plans_linked(&plans, batches, first_row, &link_results)
}
