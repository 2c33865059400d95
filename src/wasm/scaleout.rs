//! Scaling out (`docs/scaling-out.md`): the analysis as one SQL aggregation query, and the report from the
//! aggregates a warehouse returns. No logic: arguments in, core calls (`crate::scaleout`), results out.
//! The JS layer (`js/scaleout.js`) splits `schema`/`table` off the analysis options.

use wasm_bindgen::prelude::*;

use super::dataset::WasmDataset;
use super::interop::{from_js, js_error_in, lang_of, parse_js, to_js, to_js_error, today_utc};
use crate::messages::Lang;
use crate::metrics::{self, AnalysisOptions};
use crate::scaleout::read_rows::{rows_from_ipc, RowsInput};
use crate::scaleout::{schema_from_columns, sql_for_analysis_linked, summary_from_rows, ColumnSpec, Plan, SqlOptions};
use crate::segments::links::Link;
use crate::segments::Dialect;

/// The analysis options, and the language of errors (`lang`).
fn analysis_options(value: JsValue) -> Result<(AnalysisOptions, Lang), JsValue> {
    let lang = lang_of(&value);
    let mut options: AnalysisOptions = if value.is_undefined() || value.is_null() {
        AnalysisOptions::default()
    } else {
        serde_wasm_bindgen::from_value(value).map_err(|e| js_error_in(lang)(metrics::options_error(&e.to_string())))?
    };
    if options.reference_date.is_none() {
        options.reference_date = Some(today_utc()?);
    }
    Ok((options, lang))
}

fn schema(value: JsValue) -> Result<Option<arrow_schema::SchemaRef>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let columns: Vec<ColumnSpec> = from_js(value, "schema")?;
    schema_from_columns(&columns).map(Some).map_err(to_js_error)
}

fn sql_options(dialect: Option<String>, table: Option<String>, suppress: bool) -> Result<SqlOptions, JsValue> {
    let dialect = match dialect.as_deref() {
        None => Dialect::DuckDb,
        Some(d) => Dialect::parse(d).map_err(to_js_error)?,
    };
    let table = table.ok_or_else(|| {
        to_js_error(crate::Error::invalid_argument("table", "is required: the source table or view, e.g. 'customers'"))
    })?;
    Ok(SqlOptions { dialect, table, suppress_small_cells: suppress })
}

/// `sqlForAnalysis(options, { dialect, table, schema })` without a dataset.
#[wasm_bindgen(js_name = scaleoutSql)]
pub fn scaleout_sql(
    options: JsValue,
    schema_value: JsValue,
    dialect: Option<String>,
    table: Option<String>,
    suppress_small_cells: bool,
) -> Result<String, JsValue> {
    let (options, lang) = analysis_options(options)?;
    let schema = schema(schema_value)?;
    let sql = sql_options(dialect, table, suppress_small_cells)?;
    Plan::new(schema.as_ref(), &options).and_then(|p| p.sql(&sql)).map_err(js_error_in(lang))
}

/// `analyzeSummary(input, options)`: `ipc` is an array of Arrow IPC payloads, `rows` an array of row objects
/// (or undefined); all their rows are read as one aggregate table (rows of the same cell add up).
#[wasm_bindgen(js_name = scaleoutAnalyze)]
pub fn scaleout_analyze(
    ipc: js_sys::Array,
    rows: JsValue,
    options: JsValue,
    schema_value: JsValue,
) -> Result<JsValue, JsValue> {
    let schema = schema(schema_value)?;
    analyze_rows(ipc, rows, options, schema.as_ref(), &[])
}

/// The report from the aggregate rows, with `links` available to the segments' rules.
fn analyze_rows(
    ipc: js_sys::Array,
    rows: JsValue,
    options: JsValue,
    schema: Option<&arrow_schema::SchemaRef>,
    links: &[Link],
) -> Result<JsValue, JsValue> {
    let (options, lang) = analysis_options(options)?;
    let error = js_error_in(lang);
    let mut all = Vec::new();
    for part in ipc.iter() {
        let bytes = js_sys::Uint8Array::new(&part).to_vec();
        all.extend(rows_from_ipc(bytes).map_err(error)?);
    }
    if !(rows.is_undefined() || rows.is_null()) {
        let parsed: RowsInput = parse_js(rows, "summary").map_err(error)?;
        all.extend(parsed.into_rows().map_err(error)?);
    }
    let report = Plan::new_linked(schema, &options, links)
        .and_then(|plan| summary_from_rows(&all, &plan))
        .and_then(|summary| metrics::analyze_summary(&summary, &options))
        .map_err(error)?;
    to_js(&report)
}

/// `tables: { link: 'schema.table' }` as pairs (undefined: none).
fn tables(value: JsValue) -> Result<Vec<(String, String)>, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Vec::new());
    }
    let map: std::collections::BTreeMap<String, String> = from_js(value, "tables")?;
    Ok(map.into_iter().collect())
}

#[wasm_bindgen(js_class = Dataset)]
impl WasmDataset {
    /// `ds.sqlForAnalysis(options, { dialect, table, tables })`: the query, with the rules type-checked against
    /// this dataset's schema and its links (`tables` maps link names to the SQL tables their rows are in).
    #[wasm_bindgen(js_name = sqlForAnalysis)]
    pub fn sql_for_analysis(
        &self,
        options: JsValue,
        dialect: Option<String>,
        table: Option<String>,
        suppress_small_cells: bool,
        tables_value: JsValue,
    ) -> Result<String, JsValue> {
        let (options, lang) = analysis_options(options)?;
        let sql = sql_options(dialect, table, suppress_small_cells)?;
        let tables = tables(tables_value)?;
        sql_for_analysis_linked(self.inner.schema(), &self.links, &tables, &options, &sql).map_err(js_error_in(lang))
    }

    /// `analyzeSummary(input, { ...options, dataset })`: the report, rules resolved against this dataset's
    /// schema and links (as `sqlForAnalysis` wrote them).
    #[wasm_bindgen(js_name = analyzeSummary)]
    pub fn analyze_summary(&self, ipc: js_sys::Array, rows: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        analyze_rows(ipc, rows, options, Some(self.inner.schema()), &self.links)
    }
}
