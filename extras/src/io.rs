//! Datasets in and out of this module as Arrow IPC stream bytes.

use segmetry::ingest::{encode, Dataset};
use segmetry::wasm::interop::to_js_error;
use wasm_bindgen::JsValue;

/// Decode the IPC bytes the core module wrote (`Dataset.toIpc`).
pub fn decode(bytes: Vec<u8>) -> Result<Dataset, JsValue> {
    Dataset::from_ipc(bytes).map_err(to_js_error)
}

/// A result dataset as IPC bytes, for the core module to load.
pub fn encode(dataset: &Dataset) -> Result<Vec<u8>, JsValue> {
    encode::to_ipc(dataset).map_err(to_js_error)
}
