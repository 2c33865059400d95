//! Datasets in and out of this module as Arrow IPC stream bytes, copied by js/extras.js straight between this
//! module's memory and the core's (`segmetry::wasm::buffers`).

use segmetry::ingest::{encode, Dataset};
use segmetry::wasm::buffers::{InputBuffer, OutputBuffer};
use segmetry::wasm::interop::to_js_error;
use wasm_bindgen::JsValue;

/// Decode the IPC bytes the core module wrote (`Dataset.toIpc`), which JS copied into `input`.
pub fn decode(input: InputBuffer) -> Result<Dataset, JsValue> {
    Dataset::from_ipc(input.into_bytes()).map_err(to_js_error)
}

/// A result dataset as IPC bytes, for JS to copy into the core module and load there.
pub fn encode(dataset: &Dataset) -> Result<OutputBuffer, JsValue> {
    encode::to_ipc(dataset).map(OutputBuffer::from).map_err(to_js_error)
}
