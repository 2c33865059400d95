//! Customer lifetime value: the BG/NBD purchase model and the Gamma-Gamma spend model, fitted by maximum
//! likelihood, with per-customer predictions, discounted CLV and model checks.
//!
//! - [`bgnbd`]: how many purchases a customer makes and whether they are still "alive".
//! - [`gamma_gamma`]: how much they spend per order.
//! - [`value`]: the two combined into a discounted lifetime value over a horizon.
//! - [`predict`]: per-customer predictions for many customers, sharing the work of customers with equal (x, T).
//! - [`tiers`]: High / Medium / Low / Likely lost tiers from the predictions (the `spendTier` segmentation).
//! - [`checks`]: observed vs expected repeat-purchase histogram, holdout comparison, spend-independence check.
//! - [`holdout`]: an orders table split by date into calibration inputs and holdout purchases.
//! - [`simulate`]: seeded customer bases with known parameters (parameter-recovery tests and benchmarks).
//! - [`dataset`]: the `ds.clv(...)` entry point on a [`crate::ingest::Dataset`].
//!
//! `docs/clv.md` explains the models in plain words and in formulas.

pub mod bgnbd;
pub mod checks;
pub mod dataset;
pub mod gamma_gamma;
pub mod holdout;
pub mod predict;
pub mod simulate;
pub mod summary;
pub mod tiers;
pub mod value;

pub use bgnbd::{BgNbdFit, BgNbdParams};
pub use dataset::{clv, ClvOptions, ClvResult};
pub use gamma_gamma::{GammaGammaFit, GammaGammaParams, SpendData};
pub use predict::{Prediction, Predictor};
pub use summary::Grouped;
pub use value::{lifetime_value, Discounting};
