//! Scaling out: the analysis as one SQL aggregation query for a warehouse, and the report from the aggregates
//! it returns. Only aggregates leave the warehouse; the report is the one `analyze` makes from the rows.
//!
//! The data flow, one file per step:
//! - [`query`]: plans the query (segments, variants, metrics) and writes its SQL text for DuckDB, Spark SQL or
//!   PostgreSQL ([`sql_for_analysis`]);
//! - [`metric_columns`]: each named metric's per-row SQL expression and its output columns;
//! - [`read_rows`]: reads the engine's result (Arrow IPC or plain rows) back into [`SummaryRow`]s, and
//!   [`summary_from_rows`] into the [`crate::metrics::Summary`] that [`crate::metrics::analyze_summary`] reports.

pub mod metric_columns;
pub mod query;
pub mod read_rows;

pub use query::{
    links_with_tables, schema_from_columns, sql_for_analysis, sql_for_analysis_linked, summary_from_rows, ColumnSpec,
    Plan, SqlOptions, SummaryRow,
};
