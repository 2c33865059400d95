//! `Dataset.analyze(options)`: conversion and revenue per segment × variant. No logic: options in, core call,
//! report out. Without `referenceDate`, today's UTC date from `js_sys::Date` is passed (the core never reads a
//! clock on wasm).

use wasm_bindgen::prelude::*;

use super::dataset::WasmDataset;
use serde::Serialize;

use super::interop::to_js_error;
use crate::metrics::{self, AnalysisOptions};

fn today_utc() -> String {
    let now = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", now.get_utc_full_year(), now.get_utc_month() + 1, now.get_utc_date())
}

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
            options.reference_date = Some(today_utc());
        }
        let report = metrics::analyze(&self.inner, &mut self.segments, &options).map_err(to_js_error)?;
        // Like interop::to_js, but `None` becomes `null` (the report's documented "withheld / not requested").
        let serializer =
            serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true).serialize_missing_as_null(true);
        report.serialize(&serializer).map_err(|e| {
            to_js_error(crate::Error::new(crate::ErrorCode::Internal, format!("could not convert the report: {e}")))
        })
    }
}
