//! Scaling out: the analysis as one SQL aggregation query, and the report from that query's result.
//!
//! [`sql_for_analysis`] writes one query (DuckDB, Spark SQL or PostgreSQL) that computes, for every segment ×
//! variant, exactly the sufficient statistics a [`Summary`] holds; [`summary_from_rows`] turns the query's
//! result rows back into that [`Summary`], and [`crate::metrics::analyze_summary`] makes the report — the same
//! report `analyze` makes from the rows themselves. Only aggregates leave the warehouse.
//!
//! The query (documented column by column in `docs/scaling-out.md`):
//!
//! ```sql
//! WITH flags AS (                         -- one scan of the table: metrics + one flag per segment
//!   SELECT CAST("variant" AS VARCHAR) AS v, <conversion as 1/0/NULL/2> AS c, CAST("revenue" AS DOUBLE) AS y, …,
//!          COALESCE((<rule 1>), FALSE) AS s1, …
//!   FROM "customers"),
//! flagged AS (SELECT *, <number of flags set> AS m FROM flags)
//! SELECT CASE g.k WHEN 1 THEN 'segment 1' … END AS segment, v AS variant, COUNT(*) AS n, …
//! FROM flagged CROSS JOIN (VALUES (0), (1), …) AS g(k)
//! WHERE CASE g.k WHEN 0 THEN TRUE WHEN 1 THEN s1 … END     -- k = 0: every row (the totals; segment NULL)
//! GROUP BY g.k, v
//! ```
//!
//! Segments that share rows are handled by the flags: a row is counted once in every segment whose rule is TRUE
//! for it (`COALESCE(rule, FALSE)`: UNKNOWN is not membership, as in the rule language). The same shape serves
//! all three engines: one scan, a join with a constant list, one hash aggregation.
//!
//! Rules over linked tables (`COUNT(orders WHERE …) >= 2`, see [`crate::segments::links`]) read their aggregates
//! from one pre-aggregated table per link, grouped by the link's normalized key and joined to the source table
//! (aliased `c`) once ([`crate::segments::links_joined`], [`Plan::new_linked`], [`sql_for_analysis_linked`]); each
//! link's rows are read from [`Link::table`].

use std::collections::HashMap;
use std::sync::Arc;

use arrow_schema::{DataType, Field, Schema, SchemaRef};
use serde::Deserialize;

use super::metric_columns::{plan_metrics, MetricRowValues, PlannedMetric, SqlTypes};
use crate::error::{Error, ErrorCode, Result};
use crate::ingest::type_name::parse_type_name;
use crate::ingest::{value_kind, Dataset, ValueKind};
use crate::metrics::metric_accumulate::MetricCell;
use crate::metrics::options::{AnalysisOptions, BuiltinSpec, SegmentSpec};
use crate::metrics::summary::{variant_order, CellSummary, SegmentSummary, Summary};
use crate::segments::builtin::{self, LifecycleOptions};
use crate::segments::links::{sql_table_name, Link};
use crate::segments::links_joined::JoinedAggregates;
use crate::segments::sql::SqlCondition;
use crate::segments::{Dialect, Rule, RuleOptions};

/// Output columns of the query, in order (also what [`summary_from_rows`] reads).
pub const SUMMARY_COLUMNS: &[&str] = &[
    "segment",
    "variant",
    "n",
    "conversions",
    "conversion_nulls",
    "conversion_invalid",
    "revenue_sum",
    "revenue_sum_squares",
    "revenue_nulls",
    "covariate_sum",
    "covariate_sum_squares",
    "revenue_covariate_sum",
    "covariate_nulls",
    "overlapping_rows",
];

/// One column of the source table: its name and its type as segmetry reports it (`int32`, `utf8`, `date32`,
/// `timestamp[us, UTC]`, `decimal128(12, 2)`, `dictionary<int32, utf8>`, `bool`, …).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ColumnSpec {
    /// Column name, as in the table.
    pub name: String,
    /// Type string.
    #[serde(rename = "type")]
    pub data_type: String,
}

/// Where and how [`sql_for_analysis`] writes the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlOptions {
    /// Target engine.
    pub dialect: Dialect,
    /// Source table or view; dotted names (`analytics.customers`) are quoted part by part.
    pub table: String,
    /// With `minCellSize` k > 0: leave segment × variant cells with fewer than k rows out of the result
    /// (`HAVING`), so they never leave the warehouse. The report withholds them either way; but its
    /// SMALL_SEGMENT / EMPTY_SEGMENT warnings then see such a cell as empty.
    pub suppress_small_cells: bool,
}

/// Parse a segmetry type string into an Arrow type (the one reader of type names,
/// [`crate::ingest::type_name::parse_type_name`]; SQL spellings such as `bigint`, `varchar`, `timestamptz` too).
pub fn parse_type(text: &str) -> Result<DataType> {
    parse_type_name(text).map_err(|why| {
        Error::invalid_argument(
            "schema",
            format!(
                "`{}` is not a column type segmetry knows ({why}); use the type strings `ds.columns` reports, e.g. \
                 'int32', 'float64', 'utf8', 'bool', 'date32', 'timestamp[us, UTC]', 'decimal128(12, 2)'",
                text.trim()
            ),
        )
    })
}

/// An Arrow schema from `[{ name, type }]` (every column nullable).
pub fn schema_from_columns(columns: &[ColumnSpec]) -> Result<SchemaRef> {
    if columns.is_empty() {
        return Err(Error::invalid_argument("schema", "is empty; list the table's columns as [{ name, type }]"));
    }
    let mut seen = std::collections::HashSet::new();
    let mut fields = Vec::with_capacity(columns.len());
    for c in columns {
        if c.name.is_empty() {
            return Err(Error::invalid_argument("schema", "a column has an empty name"));
        }
        if !seen.insert(c.name.as_str()) {
            return Err(Error::invalid_argument("schema", format!("the column `{}` is listed twice", c.name)));
        }
        let data_type = parse_type(&c.data_type).map_err(|mut e| {
            e.message = format!("column `{}`: {}", c.name, e.message);
            e
        })?;
        fields.push(Field::new(c.name.clone(), data_type, true));
    }
    Ok(Arc::new(Schema::new(fields)))
}

/// How a segment is selected in SQL.
#[derive(Debug, Clone)]
enum Condition {
    Rule(Box<Rule>),
    /// A built-in group's condition (printed per dialect by the rule SQL writer).
    Builtin(Box<SqlCondition>),
}

/// One segment of a [`Plan`]: its report metadata and its condition.
#[derive(Debug, Clone)]
struct Planned {
    meta: SegmentSummary,
    condition: Condition,
    /// Left out of the report when it has no rows (lifecycle's `Unclassified`, as `lifecycle()` does).
    drop_if_empty: bool,
}

/// The analysis resolved against a schema, without data: what [`sql_for_analysis`] writes and what
/// [`summary_from_rows`] expects.
#[derive(Debug, Clone)]
pub struct Plan {
    schema: Option<SchemaRef>,
    include_all: bool,
    segments: Vec<Planned>,
    variant: String,
    conversion: Option<String>,
    revenue: Option<String>,
    covariate: Option<String>,
    /// Named metrics (their output columns follow `overlapping_rows`; see [`super::metric_columns`]).
    metrics: Vec<PlannedMetric>,
    min_cell_size: u64,
    /// Whether a rule aggregates over a linked table (then the source table is aliased [`OUTER`] and joined to
    /// one pre-aggregated table per link).
    uses_links: bool,
}

/// The alias of the source table when rules aggregate over linked tables: the joins compare each link's key with
/// `c."Email"` normalized (the linked table itself is aliased `o` inside its pre-aggregated table).
const OUTER: &str = "c";

fn column_type<'a>(schema: &'a SchemaRef, option: &str, name: &str) -> Result<&'a DataType> {
    schema.index_of(name).map(|i| schema.field(i).data_type()).map_err(|_| {
        let mut e = crate::ingest::unknown_column(schema, name);
        e.message = format!("option `{option}`: {}", e.message);
        e
    })
}

fn is_temporal(t: &DataType) -> bool {
    matches!(t, DataType::Date32 | DataType::Date64 | DataType::Timestamp(_, _))
}

impl Plan {
    /// Resolve `options` against `schema` (rules parsed and type-checked; built-in lifecycle groups expanded).
    /// Without a schema only rule segments can be planned, and the report's `rule`/`sql` fields are the rule
    /// text as given / `null`.
    pub fn new(schema: Option<&SchemaRef>, options: &AnalysisOptions) -> Result<Plan> {
        Plan::new_linked(schema, options, &[])
    }

    /// [`Plan::new`] with linked tables the rules may aggregate over (`COUNT(orders WHERE …) >= 2`): each is
    /// read in SQL from [`Link::table`] (see [`links_with_tables`]), joined on the link's normalized key.
    pub fn new_linked(schema: Option<&SchemaRef>, options: &AnalysisOptions, links: &[Link]) -> Result<Plan> {
        options.validate()?;
        if let Some(schema) = schema {
            let variant = column_type(schema, "variant", &options.variant)?;
            crate::metrics::variants::check_variant_type(&options.variant, variant)?;
            for (option, column) in
                [("conversion", &options.conversion), ("revenue", &options.revenue), ("covariate", &options.covariate)]
            {
                if let Some(c) = column {
                    crate::metrics::accumulate::check_metric_type(option, c, column_type(schema, option, c)?)?;
                }
            }
        }
        if options.covariate.is_some() && options.revenue.is_none() {
            return Err(Error::invalid_argument(
                "covariate",
                "CUPED adjusts revenue, so it needs the `revenue` option",
            ));
        }
        let has_rules = options.segments.iter().any(|(_, s)| matches!(s, SegmentSpec::Rule(_)));
        let rule_options = match (&options.reference_date, has_rules) {
            (Some(d), _) => Some(RuleOptions::with_reference_date(d)?),
            (None, false) => None,
            (None, true) => {
                return Err(Error::invalid_argument(
                    "referenceDate",
                    "is required to write SQL for rule segments (relative dates become date literals); e.g. \
                     referenceDate: '2026-11-01'",
                ))
            }
        };
        let mut segments = Vec::new();
        for (name, spec) in &options.segments {
            match spec {
                SegmentSpec::Rule(text) => {
                    let Some(schema) = schema else {
                        return Err(Error::invalid_argument(
                            "schema",
                            "is required: rules are type-checked against the table's columns; pass schema: [{ name, \
                             type }] (the types ds.columns reports) or call ds.sqlForAnalysis on a sample dataset",
                        ));
                    };
                    let ro =
                        rule_options.as_ref().ok_or_else(|| Error::invalid_argument("referenceDate", "missing"))?;
                    let parsed = if links.is_empty() {
                        Rule::parse(text, schema, ro)
                    } else {
                        // Rules are type-checked against the schema alone (no rows: messages give no example).
                        Dataset::from_batches(schema.clone(), Vec::new())
                            .and_then(|empty| Rule::parse_linked(text, &empty, links, ro))
                    };
                    let rule = parsed.map_err(|e| crate::messages::in_context(e, "in_segment", &[name]))?;
                    segments.push(Planned {
                        meta: SegmentSummary {
                            name: name.clone(),
                            kind: "rule".into(),
                            rule: Some(rule.canonical().to_string()),
                            sql: Some(rule.to_sql(Dialect::DuckDb)),
                            ..Default::default()
                        },
                        condition: Condition::Rule(Box::new(rule)),
                        drop_if_empty: false,
                    });
                }
                SegmentSpec::Builtin(BuiltinSpec::Lifecycle(o)) => {
                    let Some(schema) = schema else {
                        return Err(Error::invalid_argument(
                            &format!("segments.{name}"),
                            "built-in lifecycle segments need the table's schema (option `schema`)",
                        ));
                    };
                    let groups = lifecycle_groups(schema, o)
                        .map_err(|e| crate::messages::in_context(e, "in_builtin", &["lifecycle"]))?;
                    for g in groups {
                        // Every lifecycle group is a row condition.
                        let Some(condition) = g.condition.clone() else { continue };
                        segments.push(Planned {
                            drop_if_empty: g.name == "Unclassified",
                            meta: SegmentSummary::builtin_group(name, &g),
                            condition: Condition::Builtin(Box::new(condition)),
                        });
                    }
                }
                SegmentSpec::Builtin(b) => {
                    let why = match b {
                        BuiltinSpec::Rfm(_) => {
                            "RFM scores are quintiles over all customers (window functions), not a condition on one \
                             row; compute the RFM groups in the warehouse (ds.rfm(...).sql is the query) into a column \
                             and segment on it with a rule, e.g. rfm_group = 'Champions'"
                        }
                        BuiltinSpec::SpendTier(_) => {
                            "spend tiers come from models fitted to all customers, not a condition on one row; \
                             compute them with ds.clv(...) into a column and segment on it with a rule"
                        }
                        _ => {
                            "k-means clusters are learnt from the data and have no SQL condition; assign clusters in \
                             the warehouse into a column and segment on it with a rule"
                        }
                    };
                    return Err(Error::invalid_argument(
                        &format!("segments.{name}"),
                        format!("the built-in `{}` cannot be computed by a SQL aggregation query: {why}", b.kind()),
                    ));
                }
            }
        }
        let metrics =
            match (schema, options.metrics.is_empty()) {
                (_, true) => Vec::new(),
                (Some(schema), false) => plan_metrics(schema, &options.metrics)?,
                (None, false) => return Err(Error::invalid_argument(
                    "schema",
                    "is required for named metrics (how a column is read depends on its type); pass schema: [{ name, \
                     type }] (the types ds.columns reports)",
                )),
            };
        let uses_links = segments.iter().any(|p| matches!(&p.condition, Condition::Rule(r) if r.uses_links()));
        Ok(Plan {
            uses_links,
            schema: schema.cloned(),
            metrics,
            include_all: options.include_all,
            segments,
            variant: options.variant.clone(),
            conversion: options.conversion.clone(),
            revenue: options.revenue.clone(),
            covariate: options.covariate.clone(),
            min_cell_size: options.min_cell_size,
        })
    }
}

/// Lifecycle groups from the schema alone (an empty dataset): conditions, names and descriptions exactly as
/// `lifecycle()` writes them. Date columns need an explicit `referenceDate` (the default, the latest date in
/// the data, is not known without the data).
fn lifecycle_groups(schema: &SchemaRef, o: &LifecycleOptions) -> Result<Vec<builtin::BuiltinSegment>> {
    let mut temporal = Vec::new();
    for c in std::iter::once(&o.recency).chain(o.tenure.as_ref()) {
        if let Ok(i) = schema.index_of(c) {
            if is_temporal(schema.field(i).data_type()) {
                temporal.push(c.clone());
            }
        }
    }
    if !temporal.is_empty() && o.reference_date.is_none() {
        return Err(Error::invalid_argument(
            "referenceDate",
            format!(
                "column `{}` holds dates, and without the data the default reference date (the latest date in it) is \
                 unknown; pass options: {{ referenceDate: 'YYYY-MM-DD' }} to the lifecycle builtin (and the same to \
                 ds.analyze to compare)",
                temporal[0]
            ),
        ));
    }
    let empty = Dataset::from_batches(schema.clone(), Vec::new())?;
    builtin::lifecycle(&empty, o)
}

// ---------------------------------------------------------------------------------------------------------------
// The query.

/// `table` quoted part by part (`analytics.customers`), or an error for an empty name or part.
pub(crate) fn table_name(dialect: Dialect, table: &str) -> Result<String> {
    let t = table.trim();
    if t.is_empty() {
        return Err(Error::invalid_argument("table", "must name the source table or view, e.g. 'customers'"));
    }
    if t.split('.').any(|p| p.trim().is_empty()) {
        return Err(Error::invalid_argument("table", format!("`{t}` has an empty part between dots")));
    }
    Ok(sql_table_name(dialect, t))
}

impl Plan {
    fn condition_sql(&self, p: &Planned, dialect: Dialect, joined: &JoinedAggregates) -> String {
        match &p.condition {
            Condition::Rule(r) => r.to_sql_joined(dialect, OUTER, Some(joined)),
            Condition::Builtin(c) => c.to_sql(dialect),
        }
    }

    fn data_type(&self, column: &str) -> Option<&DataType> {
        let schema = self.schema.as_ref()?;
        schema.index_of(column).ok().map(|i| schema.field(i).data_type())
    }

    /// The aggregation query; see the module docs.
    pub fn sql(&self, options: &SqlOptions) -> Result<String> {
        let d = options.dialect;
        if self.schema.is_none() {
            return Err(Error::invalid_argument(
                "schema",
                "is required to write the query (the conversion expression depends on the column types)",
            ));
        }
        let mut table = table_name(d, &options.table)?;
        let types = DialectTypes::of(d);
        let joined = JoinedAggregates::default();
        let cols = self.flag_columns(&types, &joined);
        if self.uses_links {
            table = format!("{table} AS {}{}", d.ident(OUTER), joined.joins(d));
        }
        let select = self.aggregate_columns(&types);
        let m = if self.segments.len() < 2 {
            "0".to_string()
        } else {
            (1..=self.segments.len()).map(|i| format!("CAST(s{i} AS {})", types.int)).collect::<Vec<_>>().join(" + ")
        };
        let ks: Vec<String> = (0..=self.segments.len()).map(|k| format!("({k})")).collect();
        let values = match d {
            Dialect::Spark => format!("VALUES {} AS g(k)", ks.join(", ")),
            _ => format!("(VALUES {}) AS g(k)", ks.join(", ")),
        };
        let mut member = String::from("CASE g.k WHEN 0 THEN TRUE");
        for i in 1..=self.segments.len() {
            member.push_str(&format!(" WHEN {i} THEN s{i}"));
        }
        member.push_str(" END");
        let nl = "\n";
        let mut q = String::new();
        q.push_str("-- segmetry sqlForAnalysis: per segment x variant sufficient statistics (docs/scaling-out.md)");
        q.push_str(nl);
        // Link aggregates first: one pre-aggregated table per link, joined to the rows once (links_joined).
        q.push_str("WITH ");
        for cte in joined.ctes(d) {
            q.push_str(&cte);
            q.push_str(&format!(",{nl}"));
        }
        // Two steps: PostgreSQL cannot refer to s1… in the SELECT that defines them (no lateral column aliases).
        // PostgreSQL inlines a CTE used once, which would run the link joins once per segment index of the
        // CROSS JOIN below; MATERIALIZED (PostgreSQL 12+) runs them once.
        let materialized = if self.uses_links && d == Dialect::Postgres { " MATERIALIZED" } else { "" };
        q.push_str(&format!("flags AS{materialized} ("));
        q.push_str(nl);
        q.push_str("  SELECT ");
        q.push_str(&cols.join(&format!(",{nl}         ")));
        q.push_str(&format!("{nl}  FROM {table}{nl}),{nl}flagged AS (SELECT *, {m} AS m FROM flags){nl}"));
        q.push_str("SELECT ");
        q.push_str(&select.join(&format!(",{nl}       ")));
        q.push_str(&format!("{nl}FROM flagged CROSS JOIN {values}{nl}WHERE {member}{nl}GROUP BY g.k, v"));
        if self.min_cell_size > 0 && options.suppress_small_cells {
            // Privacy: segment × variant cells below minCellSize never leave the warehouse. The report withholds
            // them anyway (a missing cell reads as n = 0 < k: suppressed). Kept: the
            // totals (row count, "All customers") and the per-segment counts of rows without a variant.
            q.push_str(&format!("{nl}HAVING COUNT(*) >= {} OR v IS NULL OR g.k = 0", self.min_cell_size));
        }
        Ok(q)
    }

    /// The `flags` step's columns: variant, conversion (1/0/NULL/2), revenue, covariate, the metrics' values and
    /// one flag per segment.
    fn flag_columns(&self, t: &DialectTypes, joined: &JoinedAggregates) -> Vec<String> {
        let (d, text, double) = (t.dialect, t.text, t.double);
        let mut cols = vec![format!("CAST({} AS {text}) AS v", d.ident(&self.variant))];
        if let Some(c) = &self.conversion {
            let q = d.ident(c);
            let e = match self.data_type(c) {
                Some(DataType::Boolean) => format!("CASE WHEN {q} THEN 1 WHEN NOT {q} THEN 0 END"),
                _ => format!("CASE WHEN {q} = 1 THEN 1 WHEN {q} = 0 THEN 0 WHEN {q} IS NOT NULL THEN 2 END"),
            };
            cols.push(format!("{e} AS c"));
        }
        if let Some(c) = &self.revenue {
            cols.push(format!("CAST({} AS {double}) AS y", d.ident(c)));
        }
        if let Some(c) = &self.covariate {
            cols.push(format!("CAST({} AS {double}) AS x", d.ident(c)));
        }
        let types = SqlTypes { dialect: d, text, double };
        for (k, metric) in self.metrics.iter().enumerate() {
            cols.extend(metric.flag_columns(&types, k + 1));
        }
        for (i, p) in self.segments.iter().enumerate() {
            cols.push(format!("COALESCE(({}), FALSE) AS s{}", self.condition_sql(p, d, joined), i + 1));
        }
        cols
    }

    /// The result's columns ([`SUMMARY_COLUMNS`], then the metrics'), as aggregates over the `flagged` rows.
    fn aggregate_columns(&self, t: &DialectTypes) -> Vec<String> {
        let (d, double, bigint) = (t.dialect, t.double, t.bigint);
        // DuckDB has a compensated float sum; the others sum plainly (agreement ~1e-15 relative on real data).
        let fsum = |e: &str| match d {
            Dialect::DuckDb => format!("CAST(fsum({e}) AS {double})"),
            _ => format!("CAST(SUM({e}) AS {double})"),
        };
        let isum = |e: &str| format!("CAST(SUM({e}) AS {bigint})");
        let mut segment_case = String::from("CASE g.k");
        for (i, p) in self.segments.iter().enumerate() {
            segment_case.push_str(&format!(" WHEN {} THEN {}", i + 1, d.string(&p.meta.name)));
        }
        segment_case.push_str(" END");
        let segment_expr = if self.segments.is_empty() { format!("CAST(NULL AS {})", t.text) } else { segment_case };

        let zero_f = format!("CAST(0 AS {double})");
        let has_c = self.conversion.is_some();
        let has_y = self.revenue.is_some();
        let has_x = self.covariate.is_some();
        let agg = |on: bool, e: String, zero: &str| if on { e } else { zero.to_string() };
        let zero_i = format!("CAST(0 AS {bigint})");
        let mut select = vec![
            format!("{segment_expr} AS segment"),
            "v AS variant".to_string(),
            format!("CAST(COUNT(*) AS {bigint}) AS n"),
            agg(has_c, isum("CASE WHEN c = 1 THEN 1 ELSE 0 END"), &zero_i) + " AS conversions",
            agg(has_c, isum("CASE WHEN c IS NULL THEN 1 ELSE 0 END"), &zero_i) + " AS conversion_nulls",
            agg(has_c, isum("CASE WHEN c = 2 THEN 1 ELSE 0 END"), &zero_i) + " AS conversion_invalid",
            agg(has_y, fsum("y"), &zero_f) + " AS revenue_sum",
            agg(has_y, fsum("y * y"), &zero_f) + " AS revenue_sum_squares",
            agg(has_y, isum("CASE WHEN y IS NULL THEN 1 ELSE 0 END"), &zero_i) + " AS revenue_nulls",
            agg(has_x, fsum("CASE WHEN y IS NOT NULL THEN COALESCE(x, 0) END"), &zero_f) + " AS covariate_sum",
            agg(has_x, fsum("CASE WHEN y IS NOT NULL THEN COALESCE(x, 0) * COALESCE(x, 0) END"), &zero_f)
                + " AS covariate_sum_squares",
            agg(has_x, fsum("y * COALESCE(x, 0)"), &zero_f) + " AS revenue_covariate_sum",
            agg(has_x, isum("CASE WHEN y IS NOT NULL AND x IS NULL THEN 1 ELSE 0 END"), &zero_i)
                + " AS covariate_nulls",
            isum("CASE WHEN g.k = 0 AND m >= 2 THEN 1 ELSE 0 END") + " AS overlapping_rows",
        ];
        for (k, metric) in self.metrics.iter().enumerate() {
            select.extend(metric.aggregates(k + 1, &fsum, &isum));
        }
        select
    }
}

/// The SQL type names of one dialect the query casts to.
struct DialectTypes {
    dialect: Dialect,
    text: &'static str,
    double: &'static str,
    int: &'static str,
    bigint: &'static str,
}

impl DialectTypes {
    fn of(dialect: Dialect) -> DialectTypes {
        let (text, double, int, bigint) = match dialect {
            Dialect::DuckDb => ("VARCHAR", "DOUBLE", "INTEGER", "BIGINT"),
            Dialect::Spark => ("STRING", "DOUBLE", "INT", "BIGINT"),
            Dialect::Postgres => ("TEXT", "DOUBLE PRECISION", "INTEGER", "BIGINT"),
        };
        DialectTypes { dialect, text, double, int, bigint }
    }
}

/// The aggregation query for `options` over `table` (see the module docs and `docs/scaling-out.md`).
pub fn sql_for_analysis(schema: &SchemaRef, options: &AnalysisOptions, sql: &SqlOptions) -> Result<String> {
    Plan::new(Some(schema), options)?.sql(sql)
}

/// [`sql_for_analysis`] for a dataset with linked tables: rules may aggregate over `links`, and `tables` names the
/// SQL table each link's rows are in (link name → table; a link not named there is read from the table named
/// like the link).
pub fn sql_for_analysis_linked(
    schema: &SchemaRef,
    links: &[Link],
    tables: &[(String, String)],
    options: &AnalysisOptions,
    sql: &SqlOptions,
) -> Result<String> {
    Plan::new_linked(Some(schema), options, &links_with_tables(links, tables)?)?.sql(sql)
}

/// The links, each reading its rows from the table `tables` names for it (`[(link name, table)]`). A name that
/// is no link is `INVALID_ARGUMENT` (a misspelt link would otherwise silently read the default table).
pub fn links_with_tables(links: &[Link], tables: &[(String, String)]) -> Result<Vec<Link>> {
    for (name, _) in tables {
        if !links.iter().any(|l| &l.name == name) {
            let known: Vec<String> = links.iter().map(|l| format!("`{}`", l.name)).collect();
            return Err(Error::invalid_argument(
                "tables",
                if known.is_empty() {
                    format!("names `{name}`, but the dataset has no links; link the table first: ds.link('{name}', …)")
                } else {
                    format!("names `{name}`, which is not a link of the dataset (its links: {})", known.join(", "))
                },
            ));
        }
    }
    links
        .iter()
        .map(|l| match tables.iter().find(|(name, _)| name == &l.name) {
            Some((_, table)) => l.clone().with_table(table),
            None => Ok(l.clone()),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the result.

/// One row of the query's result (or of any table of that shape). Missing sums count as 0 (SQL's `SUM` of no
/// values is NULL); missing counts as 0 too.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SummaryRow {
    /// Segment name; `None` for the totals (every row).
    pub segment: Option<String>,
    /// Variant as text; `None` for rows whose variant is null.
    pub variant: Option<String>,
    /// The cell's statistics (`n` includes nothing of other cells).
    pub cell: CellSummary,
    /// Rows whose numeric conversion was neither 0 nor 1 (an error, as in `analyze`).
    pub conversion_invalid: u64,
    /// Rows in two or more segments (totals rows only).
    pub overlapping_rows: u64,
    /// The named metrics' values (`m1_…`, `m2_…` in metric order; missing metrics count as empty).
    pub metrics: Vec<MetricRowValues>,
}

/// Build the [`Summary`] from the query's rows. Rows with the same segment and variant are added (so the rows of
/// several disjoint chunks — days, shards — can simply be concatenated).
pub fn summary_from_rows(rows: &[SummaryRow], plan: &Plan) -> Result<Summary> {
    let index: HashMap<&str, usize> =
        plan.segments.iter().enumerate().map(|(i, p)| (p.meta.name.as_str(), i + 1)).collect();
    // Slot 0: totals.
    let k = plan.segments.len() + 1;
    let mut cells: Vec<HashMap<String, CellSummary>> = vec![HashMap::new(); k];
    let mut metric_cells: Vec<HashMap<String, Vec<MetricCell>>> = vec![HashMap::new(); k];
    let metric_count = plan.metrics.len();
    let mut saw_metrics = false;
    let mut unassigned = vec![0u64; k];
    let mut overlapping = 0u64;
    let mut variants: Vec<String> = Vec::new();
    let mut saw_totals = false;
    for row in rows {
        let slot = match &row.segment {
            None => {
                saw_totals = true;
                0
            }
            Some(name) => *index.get(name.as_str()).ok_or_else(|| {
                Error::invalid_argument(
                    "summary",
                    format!(
                        "has rows for segment `{name}`, which the options do not define; pass the same options as to \
                         sqlForAnalysis (the segments are {})",
                        plan.segments.iter().map(|p| format!("`{}`", p.meta.name)).collect::<Vec<_>>().join(", ")
                    ),
                )
            })?,
        };
        if row.conversion_invalid > 0 {
            let c = plan.conversion.as_deref().unwrap_or("conversion");
            return Err(Error::new(
                ErrorCode::TypeMismatch,
                format!(
                    "the conversion column `{c}` holds values other than 0, 1 and null ({} rows); a numeric conversion \
                     column must hold only 0 and 1",
                    row.conversion_invalid
                ),
            )
            .with_subject(c));
        }
        for (what, v) in [
            ("revenue_sum", row.cell.revenue_sum),
            ("revenue_sum_squares", row.cell.revenue_sum_squares),
            ("covariate_sum", row.cell.covariate_sum),
            ("covariate_sum_squares", row.cell.covariate_sum_squares),
            ("revenue_covariate_sum", row.cell.revenue_covariate_sum),
        ] {
            if !v.is_finite() {
                return Err(Error::invalid_argument(
                    "summary",
                    format!("`{what}` is {v}; metric values must be finite numbers (NaN or ±Infinity in the data?)"),
                ));
            }
        }
        check_metric_values(row, plan)?;
        saw_metrics |= !row.metrics.is_empty();
        if slot == 0 {
            overlapping += row.overlapping_rows;
        }
        match &row.variant {
            None => unassigned[slot] += row.cell.n,
            Some(v) => {
                if !variants.contains(v) {
                    variants.push(v.clone());
                }
                cells[slot].entry(v.clone()).or_default().add(&row.cell);
                let sums =
                    metric_cells[slot].entry(v.clone()).or_insert_with(|| vec![MetricCell::default(); metric_count]);
                for (cell, values) in sums.iter_mut().zip(&row.metrics) {
                    cell.add(&values.cell);
                }
            }
        }
    }
    if !rows.is_empty() && metric_count > 0 && !saw_metrics {
        return Err(Error::invalid_argument(
            "summary",
            "has no metric columns (m1_n, m1_sum, …) although the options name metrics; run the query sqlForAnalysis \
             writes for these options",
        ));
    }
    if !rows.is_empty() && !saw_totals {
        return Err(Error::invalid_argument(
            "summary",
            "has no totals rows (segment NULL): they carry the row count and \"All customers\"; use the query \
             sqlForAnalysis writes",
        ));
    }
    let numeric = matches!(
        plan.data_type(&plan.variant),
        Some(t) if matches!(value_kind(t), Some(ValueKind::Numeric))
    );
    let text_variants = plan.data_type(&plan.variant).is_some() && !numeric;
    variants.sort_by(|a, b| if text_variants { a.as_bytes().cmp(b.as_bytes()) } else { variant_order(a, b) });
    if variants.len() > crate::metrics::variants::MAX_VARIANTS {
        return Err(Error::invalid_argument(
            "variant",
            format!("the summary has more than {} distinct variants", crate::metrics::variants::MAX_VARIANTS),
        ));
    }
    let segment = |slot: usize, meta: SegmentSummary| -> SegmentSummary {
        let sorted: Vec<CellSummary> =
            variants.iter().map(|v| cells[slot].get(v).copied().unwrap_or_default()).collect();
        let size = sorted.iter().map(|c| c.n).sum::<u64>() + unassigned[slot];
        // As `summarize` does: without named metrics the field stays empty.
        let metric_cells = if metric_count == 0 {
            Vec::new()
        } else {
            let empty = vec![MetricCell::default(); metric_count];
            variants.iter().map(|v| metric_cells[slot].get(v).cloned().unwrap_or_else(|| empty.clone())).collect()
        };
        SegmentSummary { size, unassigned: unassigned[slot], cells: sorted, metric_cells, ..meta }
    };
    let mut out = Vec::with_capacity(k);
    if plan.include_all {
        out.push(segment(0, SegmentSummary::all_customers()));
    }
    for (i, p) in plan.segments.iter().enumerate() {
        let s = segment(i + 1, p.meta.clone());
        if p.drop_if_empty && s.size == 0 {
            continue;
        }
        out.push(s);
    }
    let totals = segment(0, SegmentSummary::default());
    Ok(Summary {
        variants,
        segments: out,
        rows: totals.size,
        unassigned: totals.unassigned,
        has_conversion: plan.conversion.is_some(),
        has_revenue: plan.revenue.is_some(),
        has_covariate: plan.covariate.is_some(),
        overlapping_rows: Some(overlapping),
        metrics: plan.metrics.iter().map(|m| m.info.clone()).collect(),
    })
}

/// A row's metric values: no more metrics than the plan has, no refused values, finite sums.
fn check_metric_values(row: &SummaryRow, plan: &Plan) -> Result<()> {
    if row.metrics.len() > plan.metrics.len() {
        return Err(Error::invalid_argument(
            "summary",
            format!(
                "has columns of metric m{} but the options name {} metrics; pass the same options as to sqlForAnalysis",
                row.metrics.len(),
                plan.metrics.len()
            ),
        ));
    }
    for (values, metric) in row.metrics.iter().zip(&plan.metrics) {
        let name = &metric.info.name;
        if values.invalid > 0 {
            return Err(Error::new(
                ErrorCode::TypeMismatch,
                format!(
                    "metric `{name}` is {} {}, but {} rows hold values it cannot read (a proportion needs 0/1, \
                     true/false or yes/no; an NPS 0–10)",
                    if metric.info.metric_type == crate::metrics::MetricType::Nps { "an" } else { "a" },
                    metric.info.metric_type.name(),
                    values.invalid
                ),
            ));
        }
        let c = &values.cell;
        let sums = [
            c.sum,
            c.sum_squares,
            c.denominator_sum,
            c.denominator_sum_squares,
            c.cross_sum,
            c.covariate_sum,
            c.covariate_sum_squares,
            c.value_covariate_sum,
        ];
        if sums.iter().any(|v| !v.is_finite()) {
            return Err(Error::invalid_argument(
                "summary",
                format!("metric `{name}` has a sum that is not a finite number (NaN or ±Infinity in the data?)"),
            ));
        }
    }
    Ok(())
}
