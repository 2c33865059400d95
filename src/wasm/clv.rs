//! `ds.clv(options)`: BG/NBD + Gamma-Gamma fit and per-customer predictions. The result is a plain object; its
//! `customers` is a new wasm Dataset (the input's columns plus `p_alive`, `expected_purchases`,
//! `expected_value`, `clv`), which js/dataset.js wraps in a JS `Dataset`.

use wasm_bindgen::prelude::*;

use super::dataset::WasmDataset;
use super::interop::{from_js, set_property, to_js, to_js_error};
use crate::models::clv::dataset::with_columns;
use crate::models::clv::holdout::{calibration_and_holdout, HoldoutSplitOptions};
use crate::models::clv::{clv, ClvOptions};

#[wasm_bindgen(js_class = Dataset)]
impl WasmDataset {
    /// Fit the CLV models and predict per customer (docs/clv.md).
    pub fn clv(&self, options: JsValue) -> Result<JsValue, JsValue> {
        let options: ClvOptions = from_js(options, "options")?;
        let result = clv(&self.inner, &options).map_err(to_js_error)?;
        let customers = with_columns(&self.inner, &result.columns).map_err(to_js_error)?;
        let js = to_js(&result)?;
        set_property(&js, "customers", WasmDataset::from(customers).into());
        Ok(js)
    }

    /// Split an orders table by date into calibration inputs and holdout purchases (docs/clv.md).
    #[wasm_bindgen(js_name = calibrationAndHoldout)]
    pub fn calibration_and_holdout(&self, options: JsValue) -> Result<WasmDataset, JsValue> {
        let options: HoldoutSplitOptions = from_js(options, "options")?;
        calibration_and_holdout(&self.inner, &options).map(WasmDataset::from).map_err(to_js_error)
    }
}
