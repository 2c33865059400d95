//! Named metrics in the scale-out query ([`super::query`]): each metric's per-row value as a SQL expression (read
//! exactly as [`crate::metrics::metric_accumulate`] reads the column) and its sums as output columns `m<k>_<field>`
//! (k = 1, 2, … in the options' order), which [`super::summary_from_rows`] reads back into [`MetricCell`]s.
//!
//! | column | SQL (`x` the unit's value, `y` a ratio's denominator; a unit counts when they are not null) |
//! |---|---|
//! | `m<k>_n`, `m<k>_nulls` | units with / without a value |
//! | `m<k>_invalid` | values the metric type refuses (a proportion's 2, an NPS of 11): an error, as in `analyze` |
//! | `m<k>_sum`, `m<k>_sum_squares` | `SUM(x)`, `SUM(x * x)` |
//! | `m<k>_denominator_sum`, `m<k>_denominator_sum_squares`, `m<k>_cross_sum` | ratios: `SUM(y)`, `SUM(y * y)`, `SUM(x * y)` |
//! | `m<k>_covariate_sum`, `m<k>_covariate_sum_squares`, `m<k>_value_covariate_sum` | CUPED (`c` the covariate, null = 0): `SUM(c)`, `SUM(c * c)`, `SUM(x * c)` |
//!
//! Proportions read bools, numbers 0/1 and yes/no text (`lower(trim(…))`: SQL's `trim` removes spaces only); an
//! NPS answer becomes +1 (9–10), −1 (0–6) or 0. Without data, a metric on a numeric column must say its `type`
//! (`analyze` infers proportion from 0/1 values, which a query writer cannot see).

use arrow_schema::{DataType, SchemaRef};

use crate::error::{Error, Result};
use crate::ingest::{value_kind, Dataset, ValueKind};
use crate::metrics::metric_accumulate::MetricCell;
use crate::metrics::metric_spec::{resolve_metrics, MetricInfo, MetricSource, MetricSpec, MetricType};
use crate::segments::Dialect;

/// One named metric of a scale-out plan.
#[derive(Debug, Clone)]
pub struct PlannedMetric {
    /// What the report needs of it.
    pub info: MetricInfo,
    /// Value column (the numerator of a ratio) and its type.
    column: (String, DataType),
    /// A ratio's denominator column and its type.
    denominator: Option<(String, DataType)>,
    /// The CUPED covariate column and its type.
    covariate: Option<(String, DataType)>,
}

/// Resolve `specs` against `schema` (columns, types; the type of an untyped metric from its column's kind).
pub fn plan_metrics(schema: &SchemaRef, specs: &[MetricSpec]) -> Result<Vec<PlannedMetric>> {
    for spec in specs {
        if let (None, MetricSource::Column(c)) = (spec.metric_type, &spec.source) {
            let numeric = schema.index_of(c).ok().and_then(|i| value_kind(schema.field(i).data_type()));
            if numeric == Some(ValueKind::Numeric) {
                return Err(Error::invalid_argument(
                    &format!("metrics.{}", spec.name),
                    format!(
                        "column `{c}` is numeric, and without the data the query cannot tell 0/1 conversions from \
                         amounts; say {{ column: '{c}', type: 'proportion' }} or type: 'mean'"
                    ),
                ));
            }
        }
    }
    let empty = Dataset::from_batches(schema.clone(), Vec::new())?;
    let resolved = resolve_metrics(&empty, specs)?;
    let column = |i: usize| (schema.field(i).name().clone(), schema.field(i).data_type().clone());
    Ok(resolved
        .iter()
        .map(|m| PlannedMetric {
            info: m.info(),
            column: column(m.column),
            denominator: m.denominator.map(column),
            covariate: m.covariate.map(column),
        })
        .collect())
}

/// SQL spellings of one dialect the expressions need.
pub(super) struct SqlTypes<'a> {
    /// The dialect (identifier and string quoting).
    pub dialect: Dialect,
    /// The text type (`VARCHAR`, `STRING`, `TEXT`).
    pub text: &'a str,
    /// The double type.
    pub double: &'a str,
}

fn ident(d: Dialect, name: &str) -> String {
    match d {
        Dialect::Spark => format!("`{}`", name.replace('`', "``")),
        _ => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}

/// A column as a number: bools as 1/0, others cast to double.
fn number(t: &SqlTypes<'_>, q: &str, data_type: &DataType) -> String {
    match data_type {
        DataType::Boolean => {
            format!("CASE WHEN {q} THEN CAST(1 AS {0}) WHEN NOT {q} THEN CAST(0 AS {0}) END", t.double)
        }
        _ => format!("CAST({q} AS {})", t.double),
    }
}

/// `(value, invalid flag)` expressions of a metric's column: the value is NULL for nulls and refused values.
fn value_exprs(t: &SqlTypes<'_>, metric: MetricType, column: &(String, DataType)) -> (String, Option<String>) {
    let q = ident(t.dialect, &column.0);
    let d = t.double;
    let kind = value_kind(&column.1);
    match (metric, kind) {
        (MetricType::Proportion, Some(ValueKind::Text)) => {
            let s = format!("lower(trim(CAST({q} AS {})))", t.text);
            let yes = "('yes', 'y', 'true', '1')";
            let no = "('no', 'n', 'false', '0')";
            (
                format!("CASE WHEN {s} IN {yes} THEN CAST(1 AS {d}) WHEN {s} IN {no} THEN CAST(0 AS {d}) END"),
                Some(format!("CASE WHEN {s} <> '' AND {s} NOT IN {yes} AND {s} NOT IN {no} THEN 1 ELSE 0 END")),
            )
        }
        (MetricType::Proportion, Some(ValueKind::Numeric)) => (
            format!("CASE WHEN {q} = 1 THEN CAST(1 AS {d}) WHEN {q} = 0 THEN CAST(0 AS {d}) END"),
            Some(format!("CASE WHEN {q} IS NOT NULL AND NOT ({q} = 0 OR {q} = 1) THEN 1 ELSE 0 END")),
        ),
        (MetricType::Nps, _) => (
            format!(
                "CASE WHEN {q} < 0 OR {q} > 10 THEN NULL WHEN {q} >= 9 THEN CAST(1 AS {d}) WHEN {q} <= 6 THEN CAST(-1 AS \
                 {d}) WHEN {q} IS NOT NULL THEN CAST(0 AS {d}) END"
            ),
            Some(format!("CASE WHEN {q} < 0 OR {q} > 10 THEN 1 ELSE 0 END")),
        ),
        _ => (number(t, &q, &column.1), None),
    }
}

impl PlannedMetric {
    /// Whether some non-null values are refused (proportions of numbers or text, NPS scores outside 0–10).
    fn refuses_values(&self) -> bool {
        let kind = value_kind(&self.column.1);
        match self.info.metric_type {
            MetricType::Proportion => matches!(kind, Some(ValueKind::Text | ValueKind::Numeric)),
            MetricType::Nps => true,
            _ => false,
        }
    }

    /// Columns of the scan (`mx<k>`, `my<k>`, `mi<k>`) for metric number `k`.
    pub(super) fn flag_columns(&self, t: &SqlTypes<'_>, k: usize) -> Vec<String> {
        let (x, invalid) = value_exprs(t, self.info.metric_type, &self.column);
        let mut out = vec![format!("{x} AS mx{k}")];
        if let Some(den) = &self.denominator {
            out.push(format!("{} AS my{k}", value_exprs(t, MetricType::Ratio, den).0));
        }
        if let Some(i) = invalid {
            out.push(format!("{i} AS mi{k}"));
        }
        if let Some((name, data_type)) = &self.covariate {
            let c = number(t, &ident(t.dialect, name), data_type);
            out.push(format!("COALESCE({c}, CAST(0 AS {})) AS mc{k}", t.double));
        }
        out
    }

    /// Output columns of the aggregation for metric number `k`; `fsum`/`isum` write a float/count sum.
    pub(super) fn aggregates(
        &self,
        k: usize,
        fsum: &dyn Fn(&str) -> String,
        isum: &dyn Fn(&str) -> String,
    ) -> Vec<String> {
        let valid = if self.denominator.is_some() {
            format!("mx{k} IS NOT NULL AND my{k} IS NOT NULL")
        } else {
            format!("mx{k} IS NOT NULL")
        };
        let when = |e: &str| format!("CASE WHEN {valid} THEN {e} END");
        let mut out = vec![
            format!("{} AS m{k}_n", isum(&format!("CASE WHEN {valid} THEN 1 ELSE 0 END"))),
            format!("{} AS m{k}_nulls", isum(&format!("CASE WHEN {valid} THEN 0 ELSE 1 END"))),
        ];
        if self.refuses_values() {
            out.push(format!("{} AS m{k}_invalid", isum(&format!("mi{k}"))));
        }
        out.push(format!("{} AS m{k}_sum", fsum(&when(&format!("mx{k}")))));
        out.push(format!("{} AS m{k}_sum_squares", fsum(&when(&format!("mx{k} * mx{k}")))));
        if self.denominator.is_some() {
            out.push(format!("{} AS m{k}_denominator_sum", fsum(&when(&format!("my{k}")))));
            out.push(format!("{} AS m{k}_denominator_sum_squares", fsum(&when(&format!("my{k} * my{k}")))));
            out.push(format!("{} AS m{k}_cross_sum", fsum(&when(&format!("mx{k} * my{k}")))));
        }
        if self.covariate.is_some() {
            out.push(format!("{} AS m{k}_covariate_sum", fsum(&when(&format!("mc{k}")))));
            out.push(format!("{} AS m{k}_covariate_sum_squares", fsum(&when(&format!("mc{k} * mc{k}")))));
            out.push(format!("{} AS m{k}_value_covariate_sum", fsum(&when(&format!("mx{k} * mc{k}")))));
        }
        out
    }
}

/// A metric output column's number (1-based) and field, from its name (`m2_sum_squares` → `(2, "sum_squares")`).
pub fn metric_column(name: &str) -> Option<(usize, &'static str)> {
    let rest = name.strip_prefix('m')?;
    let (k, field) = rest.split_once('_')?;
    // At most as many metrics as any options can name (the bound keeps a hostile column name from allocating).
    let k: usize = k.parse().ok().filter(|k| (1..=1000).contains(k))?;
    FIELDS.iter().find(|f| **f == field).map(|f| (k, *f))
}

/// The fields of a metric's output columns.
pub const FIELDS: &[&str] = &[
    "n",
    "nulls",
    "invalid",
    "sum",
    "sum_squares",
    "denominator_sum",
    "denominator_sum_squares",
    "cross_sum",
    "covariate_sum",
    "covariate_sum_squares",
    "value_covariate_sum",
];

/// One row's values of one metric (what the query returns for a segment × variant).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MetricRowValues {
    /// The metric's sums.
    pub cell: MetricCell,
    /// Refused values (an error when > 0).
    pub invalid: u64,
}

impl MetricRowValues {
    /// Set a count field (`n`, `nulls`, `invalid`).
    pub fn set_count(&mut self, field: &str, v: u64) {
        match field {
            "n" => self.cell.n = v,
            "nulls" => self.cell.nulls = v,
            "invalid" => self.invalid = v,
            _ => {}
        }
    }

    /// Set a sum field.
    pub fn set_sum(&mut self, field: &str, v: f64) {
        match field {
            "sum" => self.cell.sum = v,
            "sum_squares" => self.cell.sum_squares = v,
            "denominator_sum" => self.cell.denominator_sum = v,
            "denominator_sum_squares" => self.cell.denominator_sum_squares = v,
            "cross_sum" => self.cell.cross_sum = v,
            "covariate_sum" => self.cell.covariate_sum = v,
            "covariate_sum_squares" => self.cell.covariate_sum_squares = v,
            "value_covariate_sum" => self.cell.value_covariate_sum = v,
            _ => {}
        }
    }

    /// Whether `field` is a count (else a sum).
    pub fn is_count(field: &str) -> bool {
        matches!(field, "n" | "nulls" | "invalid")
    }
}
