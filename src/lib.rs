//! segmetry: customer segmentation, conversion metrics and A/B statistics over Apache Arrow.
//!
//! Data flows through the modules in folder order:
//! [`ingest`] (Arrow IPC bytes → [`ingest::Dataset`]) → [`segments`] (rules → row bitmaps) →
//! [`metrics`] (per segment × variant sufficient statistics and the analysis report) → [`stats`] (verdicts).
//! [`models`] fits customer-base models (BG/NBD, Gamma-Gamma: predicted purchases and lifetime value).
//! The core is pure Rust; the `wasm` module (wasm32 only) is a thin facade that converts JS values.

pub mod cancel;
pub mod error;
pub mod ingest;
pub mod messages;
pub mod metrics;
pub mod models;
pub mod prepare;
pub mod scaleout;
pub mod segments;
pub mod stats;

/// The WebAssembly facade (wasm32 only). Public so wasm-bindgen tests can drive it as JS would.
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, ErrorCode, Result};
