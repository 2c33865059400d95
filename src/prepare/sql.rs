//! A recipe as one SQL query (`ds.toSql({ dialect, tables })`): the same aggregate, join and customer features
//! for DuckDB, Spark SQL or PostgreSQL, so a warehouse can make the customer table from the full exports.
//!
//! Each step becomes common table expressions (`WITH`); every step's result carries `__segmetry_row`, the
//! position segmetry gives its rows (the source's `rowOrder` column; for a group, its first row; for a join,
//! the left row), so `first`/`last`, an order's first amount and the result's row order are those of
//! segmetry. The semantics of each step are exactly those of [`super::aggregate`], [`super::join`] and
//! [`super::customer_features`]: each step is first run on an empty dataset of its input's columns, which checks
//! the options (with the same errors) and gives the step's output columns, names and types.
//!
//! What SQL cannot express: a join's right key that appears twice is an error in segmetry, but multiplies left
//! rows in SQL; the query says so in a comment, with the query that finds such keys.

use arrow_schema::{DataType, Field, SchemaRef};
use serde::{Deserialize, Deserializer};

use super::agg_parse::{self, AggFunc};
use super::join::{is_count_like, FillValue};
use super::recipe::{Recipe, SqlTable};
use super::sql_expr::{self as x, KEY, ROW};
use super::{AggregateOptions, FeatureOptions, JoinHow, JoinOptions, NormalizeKey};
use crate::error::{Error, Result};
use crate::ingest::{unknown_column, value_kind, Dataset, ValueKind};
use crate::scaleout::query::table_name;
use crate::scaleout::{schema_from_columns, ColumnSpec};
use crate::segments::{calendar, Dialect, Rule, RuleOptions};

/// Options of [`recipe_sql`] (`toSql`'s options object: `{ dialect: 'duckdb', tables: [...] }`).
#[derive(Debug, Clone, Deserialize)]
pub struct RecipeSqlOptions {
    /// Target engine: `duckdb`, `spark` or `postgres`.
    #[serde(deserialize_with = "dialect")]
    pub dialect: Dialect,
    /// One table per source of the recipe, in [`Recipe::sources`] order.
    pub tables: Vec<SqlTable>,
}

fn dialect<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Dialect, D::Error> {
    let name = String::deserialize(d)?;
    Dialect::parse(&name).map_err(|e| serde::de::Error::custom(e.message))
}

/// One written step: its CTE, its result's columns, and whether it carries `__segmetry_row`.
struct Step {
    cte: String,
    schema: SchemaRef,
    ordered: bool,
    /// The quoted table name of a source step.
    table: Option<String>,
}

struct Writer<'a> {
    dialect: Dialect,
    tables: &'a [SqlTable],
    used: usize,
    ctes: Vec<String>,
    notes: Vec<String>,
}

/// The recipe as one SQL query whose result is the derived dataset: same columns, names, order and values,
/// rows in segmetry's order when every source has a `rowOrder`. See `docs/prepare.md`.
pub fn recipe_sql(recipe: &Recipe, options: &RecipeSqlOptions) -> Result<String> {
    let sources = recipe.sources();
    if sources.len() != options.tables.len() {
        return Err(Error::invalid_argument("tables", tables_hint(&sources, options.tables.len())));
    }
    let mut w =
        Writer { dialect: options.dialect, tables: &options.tables, used: 0, ctes: Vec::new(), notes: Vec::new() };
    let last = w.step(recipe)?;
    Ok(w.finish(&last))
}

fn tables_hint(sources: &[&[ColumnSpec]], given: usize) -> String {
    let describe = |(i, cols): (usize, &&[ColumnSpec])| {
        let names: Vec<&str> = cols.iter().take(3).map(|c| c.name.as_str()).collect();
        format!("{}: the table with columns {}{}", i + 1, names.join(", "), if cols.len() > 3 { ", …" } else { "" })
    };
    let list: Vec<String> = sources.iter().enumerate().map(describe).collect();
    format!(
        "lists {given} table(s), but the recipe starts from {} loaded dataset(s); give one per source, in this order \
         ({}), e.g. tables: ['customers', {{ name: 'orders', rowOrder: 'row_id' }}]",
        sources.len(),
        list.join("; ")
    )
}

/// A dataset with `schema` and no rows: running a step on it checks the options and gives the result's columns.
fn empty(schema: &SchemaRef) -> Result<Dataset> {
    Dataset::from_batches(schema.clone(), Vec::new())
}

fn field<'s>(schema: &'s SchemaRef, name: &str) -> Result<&'s Field> {
    schema.field_with_name(name).map_err(|_| unknown_column(schema, name))
}

impl Writer<'_> {
    fn q(&self, name: &str) -> String {
        self.dialect.ident(name)
    }

    /// Add `name AS (body)`; returns the CTE's name.
    fn cte(&mut self, body: String) -> String {
        let name = format!("step{}", self.ctes.len() + 1);
        self.ctes.push(format!("{name} AS (\n  {body}\n)"));
        name
    }

    fn step(&mut self, recipe: &Recipe) -> Result<Step> {
        match recipe {
            Recipe::Source { columns } => self.source(columns),
            Recipe::Aggregate { input, options } => {
                let input = self.step(input)?;
                self.aggregate(&input, options)
            }
            Recipe::Join { left, right, options } => {
                let (left, right) = (self.step(left)?, self.step(right)?);
                self.join(&left, &right, options)
            }
            Recipe::CustomerFeatures { input, options } => {
                let input = self.step(input)?;
                self.features(&input, options)
            }
            Recipe::CalibrationAndHoldout { .. } => Err(Error::invalid_argument(
                "recipe",
                "calibrationAndHoldout cannot be written as SQL; toSql covers aggregate, join and customerFeatures",
            )),
        }
    }

    fn source(&mut self, columns: &[ColumnSpec]) -> Result<Step> {
        let table = &self.tables[self.used];
        self.used += 1;
        let schema = schema_from_columns(columns).map_err(|e| e.with_subject("recipe"))?;
        if let Some(c) = columns.iter().find(|c| c.name.starts_with("__segmetry_")) {
            return Err(Error::invalid_argument("recipe", format!("the column name `{}` is reserved", c.name)));
        }
        let mut cols: Vec<String> = columns.iter().map(|c| self.q(&c.name)).collect();
        if let Some(r) = table.row_order() {
            cols.push(format!("{} AS {ROW}", self.q(r)));
        }
        let name = table_name(self.dialect, table.name()).map_err(|e| e.with_subject("tables"))?;
        let cte = self.cte(format!("SELECT {} FROM {name}", cols.join(", ")));
        let ordered = table.row_order().is_some();
        Ok(Step { cte, schema, ordered, table: Some(name) })
    }

    /// The error for a value that needs row order from an input without it.
    fn needs_order(&self, what: &str) -> Error {
        Error::invalid_argument(
            "tables",
            format!(
                "{what} depends on row order, which a SQL table does not have: give the source table with a column \
                 that numbers its rows, e.g. {{ name: 'orders', rowOrder: 'row_id' }}"
            ),
        )
    }

    /// A CTE of the input rows that take part (`where`), each with its normalized key as `__segmetry_key`.
    fn rows(&mut self, input: &Step, by: &str, normalize: NormalizeKey, rule: Option<&Rule>) -> Result<String> {
        let key = x::key(self.dialect, &self.q(by), field(&input.schema, by)?.data_type(), normalize);
        let filter = rule.map_or(String::new(), |r| format!(" WHERE {}", r.to_sql(self.dialect)));
        Ok(self.cte(format!("SELECT *, {key} AS {KEY} FROM {}{filter}", input.cte)))
    }

    fn aggregate(&mut self, input: &Step, o: &AggregateOptions) -> Result<Step> {
        let out = super::aggregate(&empty(&input.schema)?, o)?;
        let rule_options = RuleOptions::from_reference_date(o.reference_date.as_deref())?;
        let filter = o.where_rule.as_deref().map(|t| Rule::parse(t, &input.schema, &rule_options)).transpose()?;
        let rows = self.rows(input, &o.by, o.normalize_key, filter.as_ref())?;
        let mut cols = vec![format!("{KEY} AS {}", self.q(&o.by))];
        for (name, text) in &o.values {
            let out_type = field(out.schema(), name)?.data_type();
            let value = self.value(input, text, out_type, &rule_options)?;
            cols.push(format!("{value} AS {}", self.q(name)));
        }
        if input.ordered {
            cols.push(format!("CASE WHEN {KEY} IS NULL THEN NULL ELSE MIN({ROW}) END AS {ROW}"));
        }
        let cte = self.cte(format!("SELECT {} FROM {rows} GROUP BY {KEY}", cols.join(", ")));
        Ok(Step { cte, schema: out.schema().clone(), ordered: input.ordered, table: None })
    }

    /// One aggregate expression over a group's rows.
    fn value(&self, input: &Step, text: &str, out_type: &DataType, ro: &RuleOptions) -> Result<String> {
        let d = self.dialect;
        let expr = agg_parse::parse(text)?;
        let rule = match expr.rule {
            Some((s, e)) => format!("({})", Rule::parse(&text[s..e], &input.schema, ro)?.to_sql(d)),
            None => String::new(),
        };
        let (c, ty) = match &expr.column {
            Some(arg) => (self.q(&arg.name), field(&input.schema, &arg.name)?.data_type().clone()),
            None => ("*".to_string(), DataType::Null),
        };
        let cast = |e: String| Ok::<_, Error>(format!("CAST({e} AS {})", x::sql_type(d, out_type)?));
        let float = matches!(ty, DataType::Float32 | DataType::Float64);
        let num = if float { format!("CAST({c} AS {})", x::double(d)) } else { c.clone() };
        let hits = format!("COUNT(CASE WHEN {rule} THEN 1 END)");
        Ok(match expr.func {
            AggFunc::Count => cast(format!("COUNT({c})"))?,
            AggFunc::CountDistinct => cast(format!("COUNT(DISTINCT {c})"))?,
            AggFunc::CountIf => cast(hits)?,
            AggFunc::Any => format!("{hits} > 0"),
            AggFunc::All => format!("{hits} = COUNT(*)"),
            AggFunc::Sum => cast(format!("SUM({num})"))?,
            AggFunc::SumIf => cast(format!("SUM(CASE WHEN {rule} THEN {num} END)"))?,
            AggFunc::Mean if float => format!("AVG({num})"),
            // Exact sum first, one division at the end, as segmetry does for integers and decimals.
            AggFunc::Mean => format!("CAST(SUM({c}) AS {}) / NULLIF(COUNT({c}), 0)", x::double(d)),
            AggFunc::Min => format!("MIN({})", x::ordered(d, &c, &ty)),
            AggFunc::Max => format!("MAX({})", x::ordered(d, &c, &ty)),
            AggFunc::First | AggFunc::Last if !input.ordered => return Err(self.needs_order(text)),
            AggFunc::First => x::first(d, &c, ROW, false),
            AggFunc::Last => x::first(d, &c, ROW, true),
        })
    }
}

impl Writer<'_> {
    fn join(&mut self, left: &Step, right: &Step, o: &JoinOptions) -> Result<Step> {
        let d = self.dialect;
        let joined = super::join(&empty(&left.schema)?, &empty(&right.schema)?, o)?.dataset;
        let (lname, rname) = o.on.columns();
        let lkey = x::key(d, &format!("l.{}", self.q(lname)), field(&left.schema, lname)?.data_type(), o.normalize_key);
        let rkey = x::key(d, &self.q(rname), field(&right.schema, rname)?.data_type(), o.normalize_key);
        let mut cols: Vec<String> = left.schema.fields().iter().map(|f| format!("l.{}", self.q(f.name()))).collect();
        let rights = right.schema.fields().iter().filter(|f| f.name() != rname);
        let names = joined.schema().fields().iter().skip(left.schema.fields().len());
        for (f, out) in rights.zip(names) {
            let value = format!("r.{}", self.q(f.name()));
            let value = match self.fill(f, o)? {
                Some(fill) if o.how == JoinHow::Left => {
                    format!("CASE WHEN r.__segmetry_hit IS NULL THEN {fill} ELSE {value} END")
                }
                _ => value,
            };
            cols.push(format!("{value} AS {}", self.q(out.name())));
        }
        if left.ordered {
            cols.push(format!("l.{ROW} AS {ROW}"));
        }
        let how = if o.how == JoinHow::Left { "LEFT JOIN" } else { "JOIN" };
        let body = format!(
            "SELECT {} FROM {} AS l {how} (SELECT *, {rkey} AS {KEY}, TRUE AS __segmetry_hit FROM {}) AS r ON {lkey} = r.{KEY}",
            cols.join(", "),
            left.cte,
            right.cte
        );
        let cte = self.cte(body);
        // Written against the source table; for a derived right side, run it on that step inside this query.
        let from = right.table.clone().unwrap_or_else(|| format!("{} (a step of this query)", right.cte));
        self.notes.push(format!(
            "{cte}: the right key must be unique (segmetry refuses a duplicate; SQL would repeat left rows). Check: \
             SELECT {rkey}, COUNT(*) FROM {from} GROUP BY {rkey} HAVING COUNT(*) > 1"
        ));
        Ok(Step { cte, schema: joined.schema().clone(), ordered: left.ordered, table: None })
    }

    /// What unmatched rows of a left join get in right column `f`: the `fill` value, 0 in count-like columns.
    fn fill(&self, f: &Field, o: &JoinOptions) -> Result<Option<String>> {
        let ty = x::sql_type(self.dialect, f.data_type())?;
        let literal = match o.fill.get(f.name()) {
            Some(FillValue::Bool(b)) => b.to_string().to_uppercase(),
            Some(FillValue::Number(n)) => n.to_string(),
            Some(FillValue::Text(t)) if value_kind(f.data_type()) == Some(ValueKind::Date) => {
                // join() accepted it, so it is a date.
                x::date(calendar::parse_date(t.trim()).unwrap_or_default())
            }
            Some(FillValue::Text(t)) => self.dialect.string(t),
            None if is_count_like(f) => "0".to_string(),
            None => return Ok(None),
        };
        Ok(Some(format!("CAST({literal} AS {ty})")))
    }

    fn features(&mut self, input: &Step, o: &FeatureOptions) -> Result<Step> {
        let d = self.dialect;
        let out = super::customer_features(&empty(&input.schema)?, o)?;
        if o.order.is_some() && !input.ordered {
            return Err(self.needs_order("customerFeatures with an `order` column (an order's first amount)"));
        }
        let ro = RuleOptions::with_reference_date(o.reference_date.as_deref().unwrap_or("1970-01-01"))?;
        let filter = o.where_rule.as_deref().map(|t| Rule::parse(t, &input.schema, &ro)).transpose()?;
        let normalize = o.normalize_key.unwrap_or(NormalizeKey::Email);
        let rows = self.rows(input, &o.customer, normalize, filter.as_ref())?;
        let per = self.orders(&rows, o);
        let date = self.q(&o.date);
        let row = if input.ordered { format!(", MIN({ROW}) AS {ROW}") } else { String::new() };
        let dates =
            self.cte(format!("SELECT {KEY}, MIN({date}) AS d0, MAX({date}) AS d1{row} FROM {rows} GROUP BY {KEY}"));
        let date_type = field(&input.schema, &o.date)?.data_type();
        let reference = match &o.reference_date {
            Some(_) => x::date(ro.reference_date),
            None => format!("(SELECT MAX({}) FROM {rows})", x::utc_day(d, &date, date_type)),
        };
        let days = |c: &str| x::days_between(d, &reference, &x::utc_day(d, c, date_type));
        let names: Vec<String> = out.schema().fields().iter().map(|f| self.q(f.name())).collect();
        let mut cols = vec![
            format!("t.{KEY} AS {}", names[0]),
            format!("CAST(COALESCE(p.n, 0) AS BIGINT) AS {}", names[1]),
            format!("p.total AS {}", names[2]),
            format!("p.total / NULLIF(COALESCE(p.n, 0), 0) AS {}", names[3]),
            format!("t.d0 AS {}", names[4]),
            format!("t.d1 AS {}", names[5]),
            format!("{} AS {}", days("t.d1"), names[6]),
            format!("{} AS {}", days("t.d0"), names[7]),
        ];
        if input.ordered {
            cols.push(format!("CASE WHEN t.{KEY} IS NULL THEN NULL ELSE t.{ROW} END AS {ROW}"));
        }
        let on = x::same(d, &format!("t.{KEY}"), &format!("p.{KEY}"));
        let cte = self.cte(format!("SELECT {} FROM {dates} AS t LEFT JOIN {per} AS p ON {on}", cols.join(", ")));
        Ok(Step { cte, schema: out.schema().clone(), ordered: input.ordered, table: None })
    }

    /// Per customer key: the number of orders (`n`) and the sum of their amounts (`total`), an order's amount being
    /// its first non-null amount (without an `order` column every row is an order).
    fn orders(&mut self, rows: &str, o: &FeatureOptions) -> String {
        let d = self.dialect;
        let amount = format!("CAST({} AS {})", self.q(&o.amount), x::double(d));
        let Some(order) = &o.order else {
            return self.cte(format!("SELECT {KEY}, COUNT(*) AS n, SUM({amount}) AS total FROM {rows} GROUP BY {KEY}"));
        };
        let order = self.q(order);
        let first = x::first(d, &amount, ROW, false);
        let orders = self.cte(format!(
            "SELECT {KEY}, {first} AS amount FROM {rows} WHERE {order} IS NOT NULL GROUP BY {KEY}, {order}"
        ));
        self.cte(format!("SELECT {KEY}, COUNT(*) AS n, SUM(amount) AS total FROM {orders} GROUP BY {KEY}"))
    }

    fn finish(self, last: &Step) -> String {
        let cols: Vec<String> = last.schema.fields().iter().map(|f| self.q(f.name())).collect();
        let engine = match self.dialect {
            Dialect::DuckDb => "DuckDB",
            Dialect::Spark => "Spark SQL",
            Dialect::Postgres => "PostgreSQL",
        };
        let mut sql = format!("-- segmetry recipe for {engine}, from {} source table(s)\n", self.tables.len());
        for note in &self.notes {
            sql.push_str(&format!("-- {note}\n"));
        }
        if !last.ordered {
            sql.push_str("-- Row order: unspecified (give every source table a rowOrder column for segmetry's).\n");
        }
        sql.push_str(&format!("WITH {}\nSELECT {} FROM {}", self.ctes.join(",\n"), cols.join(", "), last.cte));
        if last.ordered {
            sql.push_str(&format!("\nORDER BY {ROW} NULLS LAST"));
        }
        sql
    }
}
