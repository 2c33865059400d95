//! The `Dataset` class as JS sees it: a handle to a core [`Dataset`] plus its segment cache.

use wasm_bindgen::prelude::*;

use super::interop::{to_js, to_js_error};
use crate::ingest::Dataset;
use crate::segments::SegmentCache;

/// A loaded dataset living in wasm memory. Wrapped by `js/dataset.js`.
#[wasm_bindgen(js_name = Dataset)]
pub struct WasmDataset {
    pub(crate) inner: Dataset,
    pub(crate) segments: SegmentCache,
}

/// Decode Arrow IPC bytes (stream or file format) into a dataset. The bytes are copied into wasm memory once
/// and used in place from there.
#[wasm_bindgen(js_name = loadDataset)]
pub fn load_dataset(bytes: Vec<u8>) -> Result<WasmDataset, JsValue> {
    let inner = Dataset::from_ipc(bytes).map_err(to_js_error)?;
    Ok(WasmDataset { inner, segments: SegmentCache::default() })
}

#[wasm_bindgen(js_class = Dataset)]
impl WasmDataset {
    /// Rows across all batches.
    #[wasm_bindgen(getter, js_name = numRows)]
    pub fn num_rows(&self) -> f64 {
        self.inner.num_rows() as f64
    }

    /// `[{ name, type, nullable, nullCount }]`.
    #[wasm_bindgen(getter)]
    pub fn columns(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.columns())
    }

    /// Bytes held by the dataset's Arrow buffers.
    #[wasm_bindgen(getter, js_name = memorySize)]
    pub fn memory_size(&self) -> f64 {
        self.inner.memory_size() as f64
    }

    /// Append record batches with the same schema; on error nothing changes.
    pub fn append(&mut self, bytes: Vec<u8>) -> Result<(), JsValue> {
        self.inner.append_ipc(bytes).map_err(to_js_error)
    }
}
