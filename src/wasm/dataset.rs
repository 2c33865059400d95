//! The `Dataset` class as JS sees it: a handle to a core [`Dataset`] plus its segment cache.

use wasm_bindgen::prelude::*;

use super::interop::{js_error_in, to_js, to_js_error};
use crate::ingest::{memory, Dataset, ProfileCache};
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

/// Input bytes on their way into wasm memory. JS asks for a buffer of the input's size (fallibly: a too-large
/// input is an `OUT_OF_MEMORY` error, not an abort), writes the bytes at `ptr()`, then hands the buffer to
/// `loadDatasetFromInput` or `Dataset.appendInput`. wasm-bindgen's own `Vec<u8>` argument path would abort the
/// instance when the allocation fails.
#[wasm_bindgen]
pub struct InputBuffer {
    bytes: Vec<u8>,
    len: usize,
}

#[wasm_bindgen]
impl InputBuffer {
    /// Reserve `len` bytes.
    #[wasm_bindgen(constructor)]
    pub fn new(len: f64) -> Result<InputBuffer, JsValue> {
        if !(len >= 0.0 && len.fract() == 0.0) {
            return Err(to_js_error(crate::Error::invalid_argument("bytes", format!("length {len} is not a size"))));
        }
        let needed = len as u64;
        let len =
            usize::try_from(needed).map_err(|_| to_js_error(memory::out_of_memory(needed, "to hold the input")))?;
        let bytes = memory::reserve_input(len).map_err(to_js_error)?;
        Ok(InputBuffer { bytes, len })
    }

    /// Address in wasm memory where JS writes the `len` bytes.
    pub fn ptr(&mut self) -> usize {
        self.bytes.as_mut_ptr() as usize
    }

    /// The bytes, once JS has written all of them.
    fn into_bytes(mut self) -> Vec<u8> {
        // SAFETY: capacity >= len was reserved in `new`, and JS wrote all `len` bytes at `ptr()` before calling
        // any function that takes the buffer (js/dataset.js); u8 has no invalid bit patterns.
        unsafe { self.bytes.set_len(self.len) };
        self.bytes
    }
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
    /// The dataset as one Arrow IPC stream: what js/extras.js hands to the extras module (prepare verbs,
    /// clusters, CLV), which lives in its own wasm memory. With `columns`, only those (every column when one
    /// is not in the schema).
    #[wasm_bindgen(js_name = toIpc)]
    pub fn to_ipc(&self, columns: Option<Vec<String>>) -> Result<Vec<u8>, JsValue> {
        match columns {
            Some(names) => crate::ingest::encode::to_ipc_columns(&self.inner, &names),
            None => crate::ingest::encode::to_ipc(&self.inner),
        }
        .map_err(to_js_error)
    }
}
