//! Built-in segmentations on the JS `Dataset`: `rfm`, `lifecycle` (`clusters` is in the extras module, extras/).
//! Per-row outputs cross as typed arrays (a million-element JS array would be slow); everything else as plain
//! objects.

use wasm_bindgen::prelude::*;

use super::dataset::WasmDataset;
use super::interop::{js_error_in, lang_of, parse_js, set_property, to_js};
use crate::segments::builtin::{self, LifecycleOptions, RfmOptions};

#[wasm_bindgen(js_class = Dataset)]
impl WasmDataset {
    /// RFM quintile scores and the named RFM groups. Per-row `scores` are Uint8Arrays. Errors are in the language
    /// of `options.lang`.
    pub fn rfm(&self, options: JsValue) -> Result<JsValue, JsValue> {
        let error = js_error_in(lang_of(&options));
        let options: RfmOptions = parse_js(options, "options").map_err(error)?;
        let mut result = builtin::rfm(&self.inner, &options).map_err(error)?;
        let scores = std::mem::replace(
            &mut result.scores,
            builtin::RfmScores { recency: vec![], frequency: vec![], monetary: vec![], segment: vec![] },
        );
        let js = to_js(&result)?;
        let per_row = js_sys::Object::new();
        for (key, values) in [
            ("recency", scores.recency),
            ("frequency", scores.frequency),
            ("monetary", scores.monetary),
            ("segment", scores.segment),
        ] {
            set_property(&per_row, key, js_sys::Uint8Array::from(values.as_slice()).into());
        }
        set_property(&js, "scores", per_row.into());
        Ok(js)
    }

    /// Lifecycle stages (prospect, new, occasional, loyal, lapsed) as segments.
    pub fn lifecycle(&self, options: JsValue) -> Result<JsValue, JsValue> {
        let error = js_error_in(lang_of(&options));
        let options: LifecycleOptions = parse_js(options, "options").map_err(error)?;
        to_js(&builtin::lifecycle(&self.inner, &options).map_err(error)?)
    }
}
