//! The WebAssembly facade: the only module that knows about JavaScript. It converts JS values to core types
//! and core errors to JS errors, and holds no logic of its own. Conversions live in [`interop`].

mod analysis;
mod builtin;
pub mod dataset;
mod interop;
mod prepare;
mod scaleout;
mod segments;
mod stats;

use wasm_bindgen::prelude::*;

/// Runs once when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    #[cfg(feature = "debug-panic-hook")]
    console_error_panic_hook::set_once();
}
