//! segmetry's less used analyses as their own wasm module (`dist/extras/`): the prepare verbs (`aggregate`,
//! `join`, `customerFeatures`), k-means `clusters` and the CLV models. `js/extras.js` loads it the first time one
//! of them is called, so a page that only loads Arrow and analyzes it never downloads them (docs/sizes.md).
//!
//! The logic stays in the `segmetry` library (src/prepare, src/models, src/segments/builtin); this crate holds
//! only the bindings. Datasets cross between the two wasm memories as Arrow IPC streams: the core writes one
//! (`Dataset.toIpc`), this module decodes it with the same checks as any input, and returns its results the same
//! way.

#[cfg(target_arch = "wasm32")]
mod io;
#[cfg(target_arch = "wasm32")]
mod models;
#[cfg(target_arch = "wasm32")]
mod prepare;
