//! The `Dataset` class as JS sees it: a handle to a core [`Dataset`] plus its segment cache.

use wasm_bindgen::prelude::*;

use super::buffers::{InputBuffer, OutputBuffer};
use super::interop::{js_error_in, to_js, to_js_error};
use crate::ingest::{Dataset, ProfileCache};
use crate::messages::Lang;
use crate::segments::links::Link;
use crate::segments::SegmentCache;

/// A loaded dataset living in wasm memory. Wrapped by `js/dataset.js`.
#[wasm_bindgen(js_name = Dataset)]
pub struct WasmDataset {
    pub(crate) inner: Dataset,
    pub(crate) segments: SegmentCache,
    pub(crate) profiles: ProfileCache,
    /// Tables linked with `link()` (clones sharing the linked dataset's batches; JS re-links after appends).
    pub(crate) links: Vec<Link>,
}

impl From<Dataset> for WasmDataset {
    /// A JS handle for a core dataset (loaded or derived), with empty caches and no links.
    fn from(inner: Dataset) -> Self {
        WasmDataset { inner, segments: SegmentCache::default(), profiles: ProfileCache::default(), links: Vec::new() }
    }
}

/// Decode Arrow IPC bytes (stream or file format) into a dataset, used in place. JS reaches this through
/// [`load_dataset_from_input`] (fallible copy-in); Rust-side wasm tests call it directly.
pub fn load_dataset(bytes: Vec<u8>) -> Result<WasmDataset, JsValue> {
    let inner = Dataset::from_ipc(bytes).map_err(to_js_error)?;
    Ok(WasmDataset::from(inner))
}

/// Decode the bytes of a filled [`InputBuffer`] into a dataset; errors in `lang` (`'fi'`, any BCP 47 tag; English
/// by default), from the engine's message catalogue.
#[wasm_bindgen(js_name = loadDatasetFromInput)]
pub fn load_dataset_from_input(input: InputBuffer, lang: Option<String>) -> Result<WasmDataset, JsValue> {
    let lang = Lang::from_tag(lang.as_deref().unwrap_or("en"));
    let inner = Dataset::from_ipc(input.into_bytes()).map_err(js_error_in(lang))?;
    Ok(WasmDataset::from(inner))
}

#[wasm_bindgen(js_class = Dataset)]
impl WasmDataset {
    /// Append the batches in a filled [`InputBuffer`]; on error nothing changes.
    #[wasm_bindgen(js_name = appendInput)]
    pub fn append_input(&mut self, input: InputBuffer) -> Result<(), JsValue> {
        self.inner.append_ipc(input.into_bytes()).map_err(to_js_error)
    }

    /// Rows across all batches.
    #[wasm_bindgen(getter, js_name = numRows)]
    pub fn num_rows(&self) -> f64 {
        self.inner.num_rows() as f64
    }

    /// `[{ name, type, kind, nullable, nullCount }]`.
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

#[wasm_bindgen(js_class = Dataset)]
impl WasmDataset {
    /// A new dataset: this one's columns, then those of the IPC stream in `input` (a left join's new columns,
    /// from the extras module: one batch per batch of this dataset).
    #[wasm_bindgen(js_name = withColumnsFromInput)]
    pub fn with_columns_from_input(&self, input: InputBuffer) -> Result<WasmDataset, JsValue> {
        let other = Dataset::from_ipc(input.into_bytes()).map_err(to_js_error)?;
        Ok(WasmDataset::from(self.inner.with_columns_of(&other).map_err(to_js_error)?))
    }

    /// The dataset as one Arrow IPC stream, left in this module's memory for js/extras.js to copy straight into
    /// the extras module's (prepare verbs, clusters, CLV). With `columns`, only those (every column when one is
    /// not in the schema).
    #[wasm_bindgen(js_name = toIpc)]
    pub fn to_ipc(&self, columns: Option<Vec<String>>) -> Result<OutputBuffer, JsValue> {
        match columns {
            Some(names) => crate::ingest::encode::to_ipc_columns(&self.inner, &names),
            None => crate::ingest::encode::to_ipc(&self.inner),
        }
        .map(OutputBuffer::from)
        .map_err(to_js_error)
    }
}
