//! The Parquet reader's wasm module (`dist/formats/segmetry_formats_parquet_bg.wasm`): segmetry-formats built with the
//! `parquet` feature only. Its exports are the wasm facade of that crate (`formats/src/wasm.rs`); this crate only
//! links it, so that the CSV reader are not in the module a Parquet file makes a page download.

// Referenced so the library (and with it its `#[wasm_bindgen]` exports) is linked into this cdylib.
pub use segmetry_formats;
