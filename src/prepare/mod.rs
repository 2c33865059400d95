//! Prepare: from raw exports to a customer table, in the core.
//!
//! [`aggregate`] turns a table with many rows per key (orders, line items, e-mail events) into one row per key;
//! [`join`] adds another table's columns by a unique key; [`customer_features`] is the common case of both for
//! an orders export (the columns the built-in RFM and lifecycle segments read). Keys are normalized
//! ([`NormalizeKey`]) and hashed once per row; rules (`where`, `count_if`, `any`, …) reuse the segment evaluator.
//! A derived dataset's [`Recipe`] is written as one SQL query for DuckDB, Spark or PostgreSQL by [`recipe_sql`].
//! See `docs/prepare.md`.

pub mod agg_parse;
pub mod aggregate;
pub mod features;
pub mod input_columns;
pub mod join;
pub mod key;
pub mod recipe;
pub mod sql;
pub mod sql_expr;
pub mod values;

pub use aggregate::{aggregate, AggregateOptions};
pub use features::{customer_features, FeatureOptions};
pub use join::{join, join_right_columns, JoinHow, JoinOn, JoinOptions, JoinReport, Joined};
pub use key::NormalizeKey;
pub use recipe::{Recipe, SqlTable};
pub use sql::{recipe_sql, RecipeSqlOptions};
