//! Link aggregates as joined, pre-aggregated tables: the form `sqlForAnalysis` writes.
//!
//! A rule's `COUNT(orders WHERE …) >= 2` is, on its own, a correlated subquery ([`super::links::subquery`]). An
//! analysis query with many such segments would carry one subquery per segment; engines decorrelate each into a
//! join of its own, and Spark's optimizer did not finish planning a query with 25 of them in 20 minutes. Here every
//! aggregate the rules take over a link becomes one column of a single table per link, grouped by the normalized
//! key, which the query joins once:
//!
//! ```sql
//! WITH "segmetry_link_1" AS (
//!   SELECT NULLIF(lower(trim(o."Email")), '') AS "segmetry_key",
//!          COUNT(CASE WHEN (o_filter) THEN 1 END) AS "segmetry_a1", SUM(o."Total") AS "segmetry_a2"
//!   FROM "orders" o GROUP BY NULLIF(lower(trim(o."Email")), '')),
//! flags AS (SELECT …, COALESCE(l1."segmetry_a1", 0) >= 2 …
//!   FROM "customers" AS "c" LEFT JOIN "segmetry_link_1" AS "l1" ON "l1"."segmetry_key" = NULLIF(lower(trim("c"."Email")), ''))
//! ```
//!
//! The semantics are the subquery's: a null key matches no group; a customer without matching rows gets no group,
//! so `COUNT`/`EXISTS` read 0 (`COALESCE`) and `SUM`/`MIN`/`MAX` NULL, as over no rows; a `WHERE` that is FALSE or
//! UNKNOWN for a row leaves it out of every aggregate (`CASE WHEN … THEN … END` is NULL, which aggregates skip).

use std::cell::RefCell;

use arrow_schema::SchemaRef;

use super::links::{sql_table_name, Aggregate, Link};
use super::sql::{Dialect, SqlWriter};
use crate::segments::lexer::CmpOp;

/// The key column of each pre-aggregated link table.
const KEY: &str = "segmetry_key";

/// The link aggregates met while writing a query's conditions, per link (in order of first use).
#[derive(Debug, Default)]
pub struct JoinedAggregates {
    links: RefCell<Vec<JoinedLink>>,
}

#[derive(Debug)]
struct JoinedLink {
    link: Link,
    /// The customer side's normalized key, e.g. `NULLIF(lower(trim("c"."Email")), '')`.
    outer_key: String,
    /// Aggregate expressions over the linked table aliased `o`; column `segmetry_a{i + 1}`.
    aggregates: Vec<String>,
}

impl JoinedAggregates {
    /// The column holding `aggregate` for `link` (registered on first use), e.g. `"l1"."segmetry_a2"`.
    fn column(&self, dialect: Dialect, link: &Link, outer_key: String, aggregate: String) -> String {
        let mut links = self.links.borrow_mut();
        let i = match links.iter().position(|j| j.link.name == link.name) {
            Some(i) => i,
            None => {
                links.push(JoinedLink { link: link.clone(), outer_key, aggregates: Vec::new() });
                links.len() - 1
            }
        };
        let entry = &mut links[i];
        let a = match entry.aggregates.iter().position(|e| *e == aggregate) {
            Some(a) => a,
            None => {
                entry.aggregates.push(aggregate);
                entry.aggregates.len() - 1
            }
        };
        format!("{}.{}", dialect.ident(&format!("l{}", i + 1)), dialect.ident(&format!("segmetry_a{}", a + 1)))
    }

    /// The common table expressions, one per link: `"segmetry_link_1" AS (SELECT key, aggregates … GROUP BY key)`.
    pub fn ctes(&self, dialect: Dialect) -> Vec<String> {
        let links = self.links.borrow();
        links
            .iter()
            .enumerate()
            .map(|(i, j)| {
                let linked = j.link.dataset.schema();
                let key = j.link.mode.sql(&format!("o.{}", dialect.ident(linked.field(j.link.linked_key).name())));
                let mut select = vec![format!("{key} AS {}", dialect.ident(KEY))];
                for (a, e) in j.aggregates.iter().enumerate() {
                    select.push(format!("{e} AS {}", dialect.ident(&format!("segmetry_a{}", a + 1))));
                }
                format!(
                    "{} AS (\n  SELECT {}\n  FROM {} o\n  GROUP BY {key}\n)",
                    dialect.ident(&format!("segmetry_link_{}", i + 1)),
                    select.join(",\n         "),
                    sql_table_name(dialect, &j.link.table)
                )
            })
            .collect()
    }

    /// The joins that follow the customer table in `FROM`: ` LEFT JOIN "segmetry_link_1" AS "l1" ON …`.
    pub fn joins(&self, dialect: Dialect) -> String {
        let links = self.links.borrow();
        links
            .iter()
            .enumerate()
            .map(|(i, j)| {
                let alias = dialect.ident(&format!("l{}", i + 1));
                format!(
                    "\n  LEFT JOIN {} AS {alias} ON {alias}.{} = {}",
                    dialect.ident(&format!("segmetry_link_{}", i + 1)),
                    dialect.ident(KEY),
                    j.outer_key
                )
            })
            .collect()
    }
}

/// The link test as a condition on the joined column: what [`super::links::subquery`] writes as a correlated
/// subquery. `filter` is the `WHERE` over the linked table's columns; `cmp` the comparison after the aggregate.
pub(crate) fn joined_test(
    w: &SqlWriter<'_>,
    joined: &JoinedAggregates,
    link: &Link,
    customers: &SchemaRef,
    aggregate: Aggregate,
    filter: Option<String>,
    cmp: Option<(CmpOp, String)>,
) -> String {
    let d = w.dialect;
    let linked = link.dataset.schema();
    let col = |c: usize| format!("o.{}", d.ident(linked.field(c).name()));
    let when = |value: String| match &filter {
        Some(f) => format!("CASE WHEN ({f}) THEN {value} END"),
        None => value,
    };
    let (expr, count_like) = match aggregate {
        Aggregate::Count | Aggregate::Exists if filter.is_none() => ("COUNT(*)".to_string(), true),
        Aggregate::Count | Aggregate::Exists => (format!("COUNT({})", when("1".into())), true),
        Aggregate::Sum(c) => (format!("SUM({})", when(col(c))), false),
        Aggregate::Min(c) => (format!("MIN({})", when(col(c))), false),
        Aggregate::Max(c) => (format!("MAX({})", when(col(c))), false),
    };
    let outer_key = link.mode.sql(&format!("{}.{}", d.ident(w.outer), d.ident(customers.field(link.local_key).name())));
    let column = joined.column(d, link, outer_key, expr);
    // A customer without matching rows has no group: its count is 0, as a subquery's COUNT over no rows.
    let value = if count_like { format!("COALESCE({column}, 0)") } else { column };
    match (aggregate, cmp) {
        (Aggregate::Exists, _) => format!("{value} > 0"),
        (_, Some((op, v))) => format!("{value} {} {v}", op.as_str()),
        // Resolution requires a comparison after every aggregate but EXISTS.
        (_, None) => format!("{value} IS NOT NULL"),
    }
}
