//! How a derived dataset was made (`ds.recipe` in JS): the prepare steps with their options, down to the loaded
//! datasets it started from (their columns, never their data). [`super::sql::recipe_sql`] writes it as one SQL
//! query; `tables` names the source table of each loaded dataset, in [`Recipe::sources`] order.

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::{AggregateOptions, FeatureOptions, JoinOptions};
use crate::scaleout::ColumnSpec;

/// One step of a recipe, tagged by `op` as `ds.recipe` has it.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "op", rename_all = "camelCase")]
pub enum Recipe {
    /// A dataset loaded from data: its columns as `ds.columns` reports them (`[{ name, type }]`).
    Source {
        /// The columns, in order.
        columns: Vec<ColumnSpec>,
    },
    /// `input.aggregate(options)` (`values` as `[name, expression]` pairs, in order).
    Aggregate {
        /// What was aggregated.
        input: Box<Recipe>,
        /// Its options.
        options: AggregateOptions,
    },
    /// `left.join(right, options)`.
    Join {
        /// The left dataset.
        left: Box<Recipe>,
        /// The right dataset.
        right: Box<Recipe>,
        /// Its options.
        options: JoinOptions,
    },
    /// `input.customerFeatures(options)`.
    CustomerFeatures {
        /// The orders.
        input: Box<Recipe>,
        /// Its options.
        options: FeatureOptions,
    },
    /// `input.calibrationAndHoldout(options)`: kept in recipes, but not written as SQL.
    CalibrationAndHoldout {
        /// The orders.
        input: Box<Recipe>,
        /// Its options (not read).
        options: IgnoredAny,
    },
}

impl Recipe {
    /// The loaded datasets the recipe starts from, depth first: an aggregate's input, a join's left side before
    /// its right side. `tables` of `toSql` lists their table names in this order.
    pub fn sources(&self) -> Vec<&[ColumnSpec]> {
        let mut out = Vec::new();
        self.collect_sources(&mut out);
        out
    }

    /// Give every aggregate without a `referenceDate` this one (`YYYY-MM-DD`), as `aggregate` itself does with
    /// today's date on wasm, where the core has no clock.
    pub fn default_reference_date(&mut self, date: &str) {
        match self {
            Recipe::Source { .. } => {}
            Recipe::Aggregate { input, options } => {
                options.reference_date.get_or_insert_with(|| date.to_string());
                input.default_reference_date(date);
            }
            Recipe::CustomerFeatures { input, .. } | Recipe::CalibrationAndHoldout { input, .. } => {
                input.default_reference_date(date)
            }
            Recipe::Join { left, right, .. } => {
                left.default_reference_date(date);
                right.default_reference_date(date);
            }
        }
    }

    fn collect_sources<'a>(&'a self, out: &mut Vec<&'a [ColumnSpec]>) {
        match self {
            Recipe::Source { columns } => out.push(columns),
            Recipe::Aggregate { input, .. }
            | Recipe::CustomerFeatures { input, .. }
            | Recipe::CalibrationAndHoldout { input, .. } => input.collect_sources(out),
            Recipe::Join { left, right, .. } => {
                left.collect_sources(out);
                right.collect_sources(out);
            }
        }
    }
}

/// The table behind one source of a recipe: `'orders'`, or `{ name: 'orders', rowOrder: 'row_id' }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum SqlTable {
    /// A table or view name (dotted names are quoted part by part).
    Name(String),
    /// A table with a row-order column.
    Ordered {
        /// The table or view name.
        name: String,
        /// A column numbering the rows in the order segmetry read them (unique, not null): needed by
        /// `first`/`last`, by `customerFeatures` with an `order` column, and for the result's row order.
        #[serde(rename = "rowOrder")]
        row_order: Option<String>,
    },
}

impl SqlTable {
    /// The table name.
    pub fn name(&self) -> &str {
        match self {
            SqlTable::Name(n) | SqlTable::Ordered { name: n, .. } => n,
        }
    }

    /// The row-order column, if given.
    pub fn row_order(&self) -> Option<&str> {
        match self {
            SqlTable::Ordered { row_order: Some(r), .. } => Some(r),
            _ => None,
        }
    }
}
