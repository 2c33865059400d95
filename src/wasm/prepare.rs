//! Prepare methods of the JS `Dataset` class (`aggregate`, `join`, `customerFeatures`). No logic: options in,
//! core calls, a new dataset out. `values` arrive as `[name, expression]` pairs (js/dataset.js keeps the
//! object's order); a missing `referenceDate` becomes today's UTC date from `js_sys::Date`.

use wasm_bindgen::prelude::*;

use super::dataset::WasmDataset;
use super::interop::{from_js, to_js, to_js_error, today_utc};
use crate::prepare::{self, AggregateOptions, FeatureOptions, JoinOptions, JoinReport};

/// A finished join: the new dataset (taken once) and its match report.
#[wasm_bindgen]
pub struct PreparedJoin {
    dataset: Option<WasmDataset>,
    report: JoinReport,
}

#[wasm_bindgen]
impl PreparedJoin {
    /// The joined dataset; `undefined` after the first call.
    #[wasm_bindgen(js_name = takeDataset)]
    pub fn take_dataset(&mut self) -> Option<WasmDataset> {
        self.dataset.take()
    }

    /// `{ left, right, matched, unmatchedLeft, duplicateRightKeys }`.
    #[wasm_bindgen(getter)]
    pub fn report(&self) -> Result<JsValue, JsValue> {
        to_js(&self.report)
    }
}

#[wasm_bindgen(js_class = Dataset)]
impl WasmDataset {
    /// One row per key: `{ by, normalizeKey?, where?, values: [[name, expression], …], referenceDate? }`.
    pub fn aggregate(&self, options: JsValue) -> Result<WasmDataset, JsValue> {
        let mut o: AggregateOptions = from_js(options, "options")?;
        o.reference_date.get_or_insert_with(today_utc);
        prepare::aggregate(&self.inner, &o).map(WasmDataset::from).map_err(to_js_error)
    }

    /// Join `right` onto this dataset: `{ on, how?, normalizeKey?, suffix?, rightName?, fill? }`.
    pub fn join(&self, right: &WasmDataset, options: JsValue) -> Result<PreparedJoin, JsValue> {
        let o: JoinOptions = from_js(options, "options")?;
        let joined = prepare::join(&self.inner, &right.inner, &o).map_err(to_js_error)?;
        Ok(PreparedJoin { dataset: Some(WasmDataset::from(joined.dataset)), report: joined.report })
    }

    /// Per-customer order features: `{ customer, order?, date, amount, normalizeKey?, where?, referenceDate? }`.
    #[wasm_bindgen(js_name = customerFeatures)]
    pub fn customer_features(&self, options: JsValue) -> Result<WasmDataset, JsValue> {
        let o: FeatureOptions = from_js(options, "options")?;
        prepare::customer_features(&self.inner, &o).map(WasmDataset::from).map_err(to_js_error)
    }
}
