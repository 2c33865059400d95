//! Cochran's Q test of heterogeneity of effect estimates across segments, with Higgins' I².
//!
//! Inverse-variance weights `w_i = 1/se_i²`, pooled `θ̄ = Σw_iθ_i / Σw_i`, `Q = Σ w_i(θ_i − θ̄)²`,
//! `df = k − 1`, `p = Q_χ²(Q; df)` (survival function), `I² = max(0, (Q − df)/Q)` (0 when Q = 0).
//! Reference: computed by hand in the fixture script with `scipy.stats.chi2.sf`.

use serde::{Deserialize, Serialize};

use super::dist::chi2_sf;
use super::finite;
use crate::error::{Error, Result};

/// Result of [`heterogeneity`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeterogeneityResult {
    /// Cochran's Q.
    pub q: f64,
    /// Degrees of freedom (k − 1).
    pub df: f64,
    /// p-value of Q under homogeneity.
    pub p_value: f64,
    /// Higgins' I² in [0, 1].
    pub i_squared: f64,
}

/// Cochran's Q across `estimates` with their `standard_errors` (each > 0, at least two segments).
pub fn heterogeneity(estimates: &[f64], standard_errors: &[f64]) -> Result<HeterogeneityResult> {
    if estimates.len() < 2 {
        return Err(Error::invalid_argument("estimates", "needs at least 2 estimates"));
    }
    if standard_errors.len() != estimates.len() {
        return Err(Error::invalid_argument(
            "standardErrors",
            format!("has {} entries, estimates has {}", standard_errors.len(), estimates.len()),
        ));
    }
    for (i, &e) in estimates.iter().enumerate() {
        finite(&format!("estimates[{i}]"), e)?;
    }
    for (i, &s) in standard_errors.iter().enumerate() {
        finite(&format!("standardErrors[{i}]"), s)?;
        if s <= 0.0 {
            return Err(Error::invalid_argument(&format!("standardErrors[{i}]"), format!("must be > 0, got {s}")));
        }
    }
    let weights: Vec<f64> = standard_errors.iter().map(|s| 1.0 / (s * s)).collect();
    let wsum: f64 = weights.iter().sum();
    let pooled = weights.iter().zip(estimates).map(|(w, e)| w * e).sum::<f64>() / wsum;
    let q: f64 = weights.iter().zip(estimates).map(|(w, e)| w * (e - pooled) * (e - pooled)).sum();
    let df = (estimates.len() - 1) as f64;
    let i_squared = if q > 0.0 { ((q - df) / q).max(0.0) } else { 0.0 };
    Ok(HeterogeneityResult { q, df, p_value: chi2_sf(q, df), i_squared })
}
