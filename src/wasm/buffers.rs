//! Bytes that cross between wasm memories without a stop in the JS heap. JS copies an [`InputBuffer`]'s
//! contents straight from another module's [`OutputBuffer`] (one `Uint8Array.set` between the two memories),
//! so a dataset going from the core to the extras module and back is copied twice, not four times, and no large
//! JS array is made for the garbage collector to sweep (js/extras.js).
//!
//! Both wasm modules export these types: the core, and the extras module (which links this library without
//! the `bindings` feature), each for its own memory.

use wasm_bindgen::prelude::*;

use super::interop::to_js_error;
use crate::ingest::memory;

/// Input bytes on their way into wasm memory. JS asks for a buffer of the input's size (fallibly: a too-large
/// input is an `OUT_OF_MEMORY` error, not an abort), writes the bytes at `ptr()`, then hands the buffer to the
/// function that reads it (`loadDatasetFromInput`, `Dataset.appendInput`, the extras module's verbs).
/// wasm-bindgen's own `Vec<u8>` argument path would abort the instance when the allocation fails.
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
}

impl InputBuffer {
    /// The bytes, once JS has written all of them.
    pub fn into_bytes(mut self) -> Vec<u8> {
        // SAFETY: capacity >= len was reserved in `new`, and JS wrote all `len` bytes at `ptr()` before calling
        // any function that takes the buffer (js/runtime.js `copyIn`, js/extras.js); u8 has no invalid bit
        // patterns.
        unsafe { self.bytes.set_len(self.len) };
        self.bytes
    }
}

/// Bytes a function made for JS to copy out (IPC streams of datasets): JS reads `len` bytes at `ptr()` while
/// this instance's memory does not grow, copies them where they go, then calls `free()`.
#[wasm_bindgen]
pub struct OutputBuffer {
    bytes: Vec<u8>,
}

#[wasm_bindgen]
impl OutputBuffer {
    /// Address of the first byte in this instance's memory.
    pub fn ptr(&self) -> usize {
        self.bytes.as_ptr() as usize
    }

    /// Number of bytes.
    #[wasm_bindgen(getter)]
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether there are no bytes (never, for an IPC stream).
    #[wasm_bindgen(getter, js_name = isEmpty)]
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl From<Vec<u8>> for OutputBuffer {
    fn from(bytes: Vec<u8>) -> Self {
        OutputBuffer { bytes }
    }
}
