//! `Dataset.analyze(options)`: conversion and revenue per segment × variant. No logic: options in, core call,
//! report out. Segment rules see the tables linked with `link()`. Without `referenceDate`, today's UTC date from `js_sys::Date` is passed (the core never reads a
//! clock on wasm).

use wasm_bindgen::prelude::*;

use super::dataset::WasmDataset;
use super::interop::{to_js, to_js_error, today_utc};
use crate::metrics::{self, AnalysisOptions};

#[wasm_bindgen(js_class = Dataset)]
impl WasmDataset {
    /// The analysis report; see `docs/analysis.md` for the options and the report's shape.
    pub fn analyze(&mut self, options: JsValue) -> Result<JsValue, JsValue> {
        let mut options: AnalysisOptions = if options.is_undefined() || options.is_null() {
            AnalysisOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options).map_err(|e| to_js_error(metrics::options_error(&e.to_string())))?
        };
        if options.reference_date.is_none() {
            options.reference_date = Some(today_utc()?);
        }
        let report =
            metrics::analyze_linked(&self.inner, &self.links, &mut self.segments, &options).map_err(to_js_error)?;
        to_js(&report)
    }
}
