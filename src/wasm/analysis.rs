//! `Dataset.analyze(options)`: conversion and revenue per segment × variant. No logic: options in, core call,
//! report out. Segment rules see the tables linked with `link()`. Without `referenceDate`, today's UTC date from `js_sys::Date` is passed (the core never reads a
//! clock on wasm).

use wasm_bindgen::prelude::*;

use super::dataset::WasmDataset;
use super::interop::{js_error_in, lang_of, to_js, today_utc};
use crate::metrics::{self, AnalysisOptions};

#[wasm_bindgen(js_class = Dataset)]
impl WasmDataset {
    /// The analysis report; see `docs/analysis.md` for the options and the report's shape. Errors are in the
    /// language of `options.lang` (English by default), from the engine's message catalogue.
    pub fn analyze(&mut self, options: JsValue) -> Result<JsValue, JsValue> {
        let error = js_error_in(lang_of(&options));
        let mut options: AnalysisOptions = if options.is_undefined() || options.is_null() {
            AnalysisOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options).map_err(|e| error(metrics::options_error(&e.to_string())))?
        };
        if options.reference_date.is_none() {
            options.reference_date = Some(today_utc()?);
        }
        let report = metrics::analyze_linked(&self.inner, &self.links, &mut self.segments, &options).map_err(error)?;
        to_js(&report)
    }
}
