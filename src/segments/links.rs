//! Linked tables (an orders table next to a customers table) and the aggregates rules take over them:
//! `COUNT`, `EXISTS`, `SUM`, `MIN`, `MAX` of the linked rows whose normalized key equals the customer row's.
//!
//! Semantics are those of SQL's correlated subquery `(SELECT agg FROM orders o WHERE key(o) = key(c) AND …)`:
//! a null key matches nothing, `COUNT`/`EXISTS` of no rows are `0`/`false`, `SUM`/`MIN`/`MAX` of no rows (or of
//! only null values) are NULL, so a comparison with them is UNKNOWN. The linked table is aggregated once into a
//! hash from normalized key to aggregate; each customer row is then one lookup.

use std::collections::HashMap;

use arrow_schema::{DataType, SchemaRef};

use super::builtin::sql_number;
use super::builtin::values::read_numeric;
use super::calendar::format_date;
use super::eval::evaluate_plans;
use super::lexer::CmpOp;
use super::resolve::Node;
use super::sql::{Dialect, SqlWriter};
use super::{Bitmap, Rule};
use crate::error::{Error, Result};
use crate::ingest::Dataset;
use crate::prepare::key::{check_key_type, for_each_key, NormalizeKey};

/// A table linked to a dataset: `ds.link(name, linked, { on: [local, linked], normalizeKey })`.
#[derive(Debug, Clone)]
pub struct Link {
    /// The name rules use (`COUNT(orders …)`).
    pub name: String,
    /// The linked rows (a clone: the batches are reference-counted, nothing is copied).
    pub dataset: Dataset,
    /// Key column in the customer dataset.
    pub local_key: usize,
    /// Key column in the linked dataset.
    pub linked_key: usize,
    /// How keys are normalized on both sides (the same normalization `prepare` joins with).
    pub mode: NormalizeKey,
    /// The table SQL reads the linked rows from (`toSql`, `sqlForAnalysis`): the link's name unless
    /// [`Link::with_table`] names another (dotted names are quoted part by part).
    pub table: String,
}

impl Link {
    /// Link `linked` to `customers` as `name`, joining `customers[on.0]` to `linked[on.1]` (what
    /// `ds.link(name, linked, { on, normalizeKey })` does). Unknown key columns give `UNKNOWN_COLUMN`; a link
    /// name that is not a plain word gives `INVALID_ARGUMENT` (rules write it bare: `COUNT(orders …)`), a key
    /// column that is neither text nor integers `TYPE_MISMATCH`.
    pub fn new(
        name: &str,
        customers: &Dataset,
        linked: &Dataset,
        on: (&str, &str),
        mode: NormalizeKey,
    ) -> Result<Link> {
        if !super::resolve::is_plain_word(name) {
            return Err(Error::invalid_argument("name", crate::messages::nested("link_name_invalid", &[name])));
        }
        let (local_key, linked_key) = (customers.column_index(on.0)?, linked.column_index(on.1)?);
        check_key_type(on.0, customers.data_type(local_key))?;
        check_key_type(on.1, linked.data_type(linked_key))?;
        Ok(Link {
            name: name.to_string(),
            dataset: linked.clone(),
            local_key,
            linked_key,
            mode,
            table: name.to_string(),
        })
    }

    /// The link reading its rows from `table` in SQL (`analytics.orders`): what `sqlForAnalysis`'s `tables`
    /// option does. A name that is empty or has an empty part between dots is `INVALID_ARGUMENT`.
    pub fn with_table(mut self, table: &str) -> Result<Link> {
        let t = table.trim();
        if t.is_empty() || t.split('.').any(|p| p.trim().is_empty()) {
            return Err(Error::invalid_argument(
                &format!("tables.{}", self.name),
                crate::messages::nested("link_table_invalid", &[table]),
            ));
        }
        self.table = t.to_string();
        Ok(self)
    }
}

/// `table` as a SQL table name for `dialect`, quoted part by part (`analytics.orders` → `"analytics"."orders"`).
pub fn sql_table_name(dialect: Dialect, table: &str) -> String {
    table.split('.').map(|p| dialect.ident(p.trim())).collect::<Vec<_>>().join(".")
}

/// What is computed over the matching linked rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Aggregate {
    /// Number of rows.
    Count,
    /// Whether there is any row.
    Exists,
    /// Sum of a numeric column of the linked table (null values ignored).
    Sum(usize),
    /// Least value of a column (dates and timestamps as days since the epoch).
    Min(usize),
    /// Greatest value.
    Max(usize),
}

/// The running aggregate of one key.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Acc {
    rows: u64,
    /// `None` until a non-null value was seen (then SUM/MIN/MAX are defined).
    value: Option<f64>,
}

/// Normalized key → aggregate over the linked rows selected by `inner` (all rows when `None`).
fn aggregate_by_key(link: &Link, inner: Option<&Node>, aggregate: Aggregate) -> Result<HashMap<String, Acc>> {
    let ds = &link.dataset;
    let selected = match inner {
        Some(plan) => evaluate_plans(&[plan], ds.batches())?.pop(),
        None => None,
    };
    let values = match aggregate {
        Aggregate::Sum(c) | Aggregate::Min(c) | Aggregate::Max(c) => {
            let name = ds.schema().field(c).name();
            Some(read_numeric(ds, name, "link aggregate", "purpose_link")?.values)
        }
        Aggregate::Count | Aggregate::Exists => None,
    };
    let mut out: HashMap<String, Acc> = HashMap::new();
    let mut row = 0usize;
    for chunk in ds.column_chunks(link.linked_key) {
        for_each_key(chunk, link.mode, |i, key| {
            let r = row + i;
            let Some(key) = key else { return };
            if selected.as_ref().is_some_and(|b| !b.get(r)) {
                return;
            }
            // Look up before inserting, so only a new key allocates.
            let acc = match out.get_mut(key) {
                Some(acc) => acc,
                None => out.entry(key.to_string()).or_insert(Acc { rows: 0, value: None }),
            };
            acc.rows += 1;
            if let Some(v) = values.as_ref().and_then(|v| v[r]) {
                acc.value = Some(match (acc.value, aggregate) {
                    (None, _) => v,
                    (Some(a), Aggregate::Sum(_)) => a + v,
                    (Some(a), Aggregate::Min(_)) => a.min(v),
                    (Some(a), _) => a.max(v),
                });
            }
        });
        row += chunk.len();
    }
    Ok(out)
}

/// A test on a link aggregate: `EXISTS(…)` alone, or `agg(…) op number`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkTest {
    /// The aggregate.
    pub aggregate: Aggregate,
    /// The comparison (`None` only for `EXISTS`).
    pub cmp: Option<(CmpOp, f64)>,
}

/// Rows of `customers` where the test is TRUE and where it is UNKNOWN (a NULL `SUM`/`MIN`/`MAX` compared);
/// `inner` is a rule on the linked table selecting the rows to aggregate.
pub fn evaluate_link(
    customers: &Dataset,
    link: &Link,
    inner: Option<&Rule>,
    test: LinkTest,
) -> Result<(Bitmap, Bitmap)> {
    evaluate_link_plan(customers, link, inner.map(Rule::plan), test)
}

/// [`evaluate_link`] with the inner condition as a resolved plan (which names no links itself).
pub fn evaluate_link_plan(
    customers: &Dataset,
    link: &Link,
    inner: Option<&Node>,
    test: LinkTest,
) -> Result<(Bitmap, Bitmap)> {
    let table = aggregate_by_key(link, inner, test.aggregate)?;
    let n = customers.num_rows();
    let (mut t, mut u) = (Bitmap::zeros(n), Bitmap::zeros(n));
    let mut row = 0usize;
    for chunk in customers.column_chunks(link.local_key) {
        for_each_key(chunk, link.mode, |i, key| {
            let acc = key.and_then(|k| table.get(k));
            let value = match test.aggregate {
                Aggregate::Exists => Some(if acc.is_some() { 1.0 } else { 0.0 }),
                Aggregate::Count => Some(acc.map_or(0.0, |a| a.rows as f64)),
                _ => acc.and_then(|a| a.value),
            };
            match (value, test.cmp) {
                (Some(v), None) if v != 0.0 => t.set(row + i),
                (Some(v), Some((op, x))) if compare(v, op, x) => t.set(row + i),
                (None, _) => u.set(row + i),
                _ => {}
            }
        });
        row += chunk.len();
    }
    Ok((t, u))
}

/// The test as a SQL condition on the customer table `outer` (its name or alias in the caller's query): a
/// correlated subquery over the linked table `table` (aliased `o`), for `dialect`. Numbers compare as
/// numbers; a `MIN`/`MAX` of a date column compares with a `DATE` literal.
pub fn link_sql(
    dialect: Dialect,
    link: &Link,
    customers: &SchemaRef,
    table: &str,
    outer: &str,
    inner: Option<&Rule>,
    test: LinkTest,
) -> Result<String> {
    let linked = link.dataset.schema();
    let w = SqlWriter { dialect, schema: linked, reference_date: 0, links: &[], outer, joined: None };
    let column = match test.aggregate {
        Aggregate::Sum(c) | Aggregate::Min(c) | Aggregate::Max(c) => Some(c),
        Aggregate::Count | Aggregate::Exists => None,
    };
    let cmp = match (test.cmp, column.map(|c| linked.field(c).data_type())) {
        (None, _) => None,
        (Some((op, x)), Some(DataType::Date32 | DataType::Date64)) if x.fract() == 0.0 => {
            Some((op, format!("DATE '{}'", format_date(x as i32))))
        }
        (Some(_), Some(DataType::Date32 | DataType::Date64 | DataType::Timestamp(..))) => {
            return Err(Error::invalid_argument(
                "rule",
                "MIN/MAX of a timestamp column, or of a date compared with a fractional day, has no SQL form",
            ))
        }
        (Some((op, x)), _) => Some((op, sql_number(x))),
    };
    let filter = inner.map(|r| r.to_sql(dialect));
    Ok(subquery(&w, link, customers, table, test.aggregate, filter, cmp))
}

/// `(SELECT agg FROM table o WHERE key(o) = key(outer) AND (filter)) op value`, or `EXISTS (…)`; `w` writes
/// identifiers for the dialect and names the outer table.
pub(crate) fn subquery(
    w: &SqlWriter<'_>,
    link: &Link,
    customers: &SchemaRef,
    table: &str,
    aggregate: Aggregate,
    filter: Option<String>,
    cmp: Option<(CmpOp, String)>,
) -> String {
    let linked = link.dataset.schema();
    let col = |qualifier: &str, schema: &SchemaRef, c: usize| {
        format!("{qualifier}.{}", w.dialect.ident(schema.field(c).name()))
    };
    let mut cond = format!(
        "{} = {}",
        link.mode.sql(&col("o", linked, link.linked_key)),
        link.mode.sql(&col(&w.dialect.ident(w.outer), customers, link.local_key))
    );
    if let Some(filter) = filter {
        cond = format!("{cond} AND ({filter})");
    }
    let from = format!("FROM {} o WHERE {cond}", sql_table_name(w.dialect, table));
    let expr = match aggregate {
        Aggregate::Count => "COUNT(*)".to_string(),
        Aggregate::Sum(c) => format!("SUM({})", col("o", linked, c)),
        Aggregate::Min(c) => format!("MIN({})", col("o", linked, c)),
        Aggregate::Max(c) => format!("MAX({})", col("o", linked, c)),
        Aggregate::Exists => return format!("EXISTS (SELECT 1 {from})"),
    };
    match cmp {
        Some((op, value)) => format!("(SELECT {expr} {from}) {} {value}", op.as_str()),
        // Resolution requires a comparison after every aggregate but EXISTS.
        None => format!("(SELECT {expr} {from}) IS NOT NULL"),
    }
}

fn compare(v: f64, op: CmpOp, x: f64) -> bool {
    match op {
        CmpOp::Eq => v == x,
        CmpOp::Ne => v != x,
        CmpOp::Lt => v < x,
        CmpOp::Le => v <= x,
        CmpOp::Gt => v > x,
        CmpOp::Ge => v >= x,
    }
}
