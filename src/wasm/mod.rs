//! The WebAssembly facade: the only module that knows about JavaScript. It converts JS values to core types
//! and core errors to JS errors, and holds no logic of its own. Conversions live in [`interop`].

mod analysis;
mod builtin;
mod clv;
pub mod dataset;
mod editor;
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

/// Traps the instance on purpose (`unreachable`, what a panic becomes under `panic = "abort"`), so that tests
/// can check that the JS layer detects a trapped instance and replaces it (issue 14). Not part of the public
/// API: nothing in js/ calls it.
#[wasm_bindgen(js_name = __trapForTests)]
pub fn trap_for_tests() {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
}
