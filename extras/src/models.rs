//! Models on a dataset: k-means `clusters` and the CLV models (BG/NBD + Gamma-Gamma). Results are plain
//! objects; per-row outputs cross as typed arrays, CLV's `customers` as the IPC bytes of a new dataset (the input's
//! columns plus `p_alive`, `expected_purchases`, `expected_value`, `clv`), which js/dataset.js loads.

use segmetry::models::clv::dataset::with_columns;
use segmetry::models::clv::holdout::{calibration_and_holdout as split_holdout, HoldoutSplitOptions};
use segmetry::models::clv::{clv as fit_clv, ClvOptions};
use segmetry::segments::builtin::{self, ClusterOptions};
use segmetry::wasm::buffers::{InputBuffer, OutputBuffer};
use segmetry::wasm::interop::{js_error_in, lang_of, parse_js, set_property, to_js};
use wasm_bindgen::prelude::*;

use crate::io::{decode, encode};

/// k-means++ clusters on standardized numeric columns. Without `seed`, a random one is drawn (and returned,
/// so the run can be repeated). Per-row `labels` is a Uint8Array. Errors are in the language of `options.lang`.
#[wasm_bindgen]
pub fn clusters(input: InputBuffer, options: JsValue) -> Result<JsValue, JsValue> {
    let error = js_error_in(lang_of(&options));
    let mut options: ClusterOptions = parse_js(options, "options").map_err(error)?;
    if options.seed.is_none() {
        options.seed = Some(random_seed());
    }
    let mut result = builtin::clusters(&decode(input)?, &options).map_err(error)?;
    let labels = std::mem::take(&mut result.labels);
    let js = to_js(&result)?;
    set_property(&js, "labels", js_sys::Uint8Array::from(labels.as_slice()).into());
    Ok(js)
}

/// Fit the CLV models and predict per customer (docs/clv.md); `customers` is the new dataset's IPC bytes.
/// Errors are in the language of `options.lang`.
#[wasm_bindgen]
pub fn clv(input: InputBuffer, options: JsValue) -> Result<JsValue, JsValue> {
    let error = js_error_in(lang_of(&options));
    let options: ClvOptions = parse_js(options, "options").map_err(error)?;
    let dataset = decode(input)?;
    let result = fit_clv(&dataset, &options).map_err(error)?;
    let customers = with_columns(&dataset, &result.columns).map_err(error)?;
    let js = to_js(&result)?;
    set_property(&js, "customers", encode(&customers)?.into());
    Ok(js)
}

/// Split an orders table by date into calibration inputs and holdout purchases, one row per customer
/// (docs/clv.md); the new dataset as IPC bytes.
#[wasm_bindgen(js_name = calibrationAndHoldout)]
pub fn calibration_and_holdout(input: InputBuffer, options: JsValue) -> Result<OutputBuffer, JsValue> {
    let error = js_error_in(lang_of(&options));
    let options: HoldoutSplitOptions = parse_js(options, "options").map_err(error)?;
    encode(&split_holdout(&decode(input)?, &options).map_err(error)?)
}

/// A seed JS can hold exactly (below 2^53), from the browser's or OS's entropy; a fixed one if none is available.
fn random_seed() -> u64 {
    let mut bytes = [0u8; 8];
    match getrandom::fill(&mut bytes) {
        Ok(()) => u64::from_le_bytes(bytes) & ((1 << 53) - 1),
        Err(_) => 0x5EED,
    }
}
