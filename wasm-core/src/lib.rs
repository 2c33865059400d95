//! The core wasm module of segmetry (`dist/wasm/segmetry_bg.wasm`): the library with its `bindings` feature
//! (`src/wasm/`). This crate only links it: as the crate that links, its opt-level ("z") is the one the link-time
//! optimization runs at, while the hot kernels (`kernels/`) keep the opt-level 3 they were compiled with.

// Referenced so the library (and with it its `#[wasm_bindgen]` exports) is linked into this cdylib.
pub use segmetry;
