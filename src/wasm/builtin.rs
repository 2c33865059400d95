//! Built-in segmentations on the JS `Dataset`: `rfm`, `lifecycle`, `clusters`. Per-row outputs cross as typed
//! arrays (a million-element JS array would be slow); everything else as plain objects.

use wasm_bindgen::prelude::*;

use super::dataset::WasmDataset;
use super::interop::{from_js, set_property, to_js, to_js_error};
use crate::segments::builtin::{self, ClusterOptions, LifecycleOptions, RfmOptions};

#[wasm_bindgen(js_class = Dataset)]
impl WasmDataset {
    /// RFM quintile scores and the named RFM groups. Per-row `scores` are Uint8Arrays.
    pub fn rfm(&self, options: JsValue) -> Result<JsValue, JsValue> {
        let options: RfmOptions = from_js(options, "options")?;
        let mut result = builtin::rfm(&self.inner, &options).map_err(to_js_error)?;
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
        let options: LifecycleOptions = from_js(options, "options")?;
        to_js(&builtin::lifecycle(&self.inner, &options).map_err(to_js_error)?)
    }

    /// k-means++ clusters on standardized numeric columns. Without `seed`, a random one is drawn (and returned,
    /// so the run can be repeated). Per-row `labels` is a Uint8Array.
    pub fn clusters(&self, options: JsValue) -> Result<JsValue, JsValue> {
        let mut options: ClusterOptions = from_js(options, "options")?;
        if options.seed.is_none() {
            options.seed = Some(random_seed());
        }
        let mut result = builtin::clusters(&self.inner, &options).map_err(to_js_error)?;
        let labels = std::mem::take(&mut result.labels);
        let js = to_js(&result)?;
        set_property(&js, "labels", js_sys::Uint8Array::from(labels.as_slice()).into());
        Ok(js)
    }
}

/// A seed JS can hold exactly (below 2^53), from the browser's or OS's entropy; a fixed one if none is available.
fn random_seed() -> u64 {
    let mut bytes = [0u8; 8];
    match getrandom::fill(&mut bytes) {
        Ok(()) => u64::from_le_bytes(bytes) & ((1 << 53) - 1),
        Err(_) => 0x5EED,
    }
}
