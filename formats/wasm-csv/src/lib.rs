//! The CSV reader's wasm module (`dist/formats/segmetry_formats_csv_bg.wasm`): segmetry-formats built with the
//! `csv` feature only. Its exports are the wasm facade of that crate (`formats/src/wasm.rs`); this crate only
//! links it, so that Parquet and its codecs are not in the module a CSV file makes a page download.

// Referenced so the library (and with it its `#[wasm_bindgen]` exports) is linked into this cdylib.
pub use segmetry_formats;
