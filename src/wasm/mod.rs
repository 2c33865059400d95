//! The WebAssembly facade: the only module that knows about JavaScript. It converts JS values to core types
//! and core errors to JS errors, and holds no logic of its own. Conversions live in [`interop`], which the
//! extras module (extras/: prepare verbs, clusters, CLV) shares; the core module's exports are behind the
//! `bindings` feature, so that module links none of them.

#[cfg(feature = "bindings")]
mod analysis;
// Not behind `bindings`: both modules export them (bytes copied between the two memories).
pub mod buffers;
#[cfg(feature = "bindings")]
mod builtin;
#[cfg(feature = "bindings")]
pub mod dataset;
#[cfg(feature = "bindings")]
mod editor;
pub mod interop;
// Not behind `bindings`: the extras module exports these too (its own copy of the cancellation hook).
pub mod interrupt;
#[cfg(feature = "bindings")]
mod scaleout;
#[cfg(feature = "bindings")]
mod segments;
#[cfg(feature = "bindings")]
mod stats;

#[cfg(feature = "bindings")]
use wasm_bindgen::prelude::*;

/// Runs once when the module is instantiated.
#[cfg(feature = "bindings")]
#[wasm_bindgen(start)]
pub fn start() {
    #[cfg(feature = "debug-panic-hook")]
    console_error_panic_hook::set_once();
}

/// Traps the instance on purpose (`unreachable`, what a panic becomes under `panic = "abort"`), so that tests
/// can check that the JS layer detects a trapped instance and replaces it (issue 14). Not part of the public
/// API: nothing in js/ calls it.
#[cfg(feature = "bindings")]
#[wasm_bindgen(js_name = __trapForTests)]
pub fn trap_for_tests() {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
}
