//! Multiple-comparison adjustment of p-values.
//!
//! Reference: statsmodels `multipletests(p, method='bonferroni' | 'holm' | 'fdr_bh')`. With m p-values and
//! `p_(1) ≤ … ≤ p_(m)` (stable sort, so ties keep input order):
//! * **bonferroni**: `min(1, m·p_i)`
//! * **holm**: `p̃_(i) = max_{j ≤ i} min(1, (m − j + 1)·p_(j))`
//! * **bh** (Benjamini–Hochberg): `p̃_(i) = min(1, min_{j ≥ i} m·p_(j)/j)`
//!
//! Results are returned in input order. Every p-value must lie in [0, 1].

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Adjustment method. Serialized as `'bonferroni' | 'holm' | 'bh'`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AdjustMethod {
    /// Bonferroni (family-wise error rate).
    Bonferroni,
    /// Holm step-down (family-wise error rate, uniformly more powerful than Bonferroni).
    #[default]
    Holm,
    /// Benjamini–Hochberg step-up (false discovery rate).
    Bh,
}

/// Adjusted p-values, in input order; see the module docs.
pub fn adjust_p_values(p_values: &[f64], method: AdjustMethod) -> Result<Vec<f64>> {
    for (i, &p) in p_values.iter().enumerate() {
        if !(p.is_finite() && (0.0..=1.0).contains(&p)) {
            return Err(Error::invalid_argument(&format!("pValues[{i}]"), format!("must lie in [0, 1], got {p}")));
        }
    }
    let m = p_values.len() as f64;
    let mut order: Vec<usize> = (0..p_values.len()).collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let mut out = vec![0.0; p_values.len()];
    match method {
        AdjustMethod::Bonferroni => {
            for (o, &p) in out.iter_mut().zip(p_values) {
                *o = (m * p).min(1.0);
            }
        }
        AdjustMethod::Holm => {
            let mut running: f64 = 0.0;
            for (rank, &idx) in order.iter().enumerate() {
                let p = p_values.get(idx).copied().unwrap_or(f64::NAN);
                running = running.max(((m - rank as f64) * p).min(1.0));
                if let Some(o) = out.get_mut(idx) {
                    *o = running;
                }
            }
        }
        AdjustMethod::Bh => {
            let mut running: f64 = 1.0;
            for (rank, &idx) in order.iter().enumerate().rev() {
                let p = p_values.get(idx).copied().unwrap_or(f64::NAN);
                // m / (rank + 1) ≥ 1, so the adjusted value is never below p; at rank m, m·p/m can round below it.
                running = running.min((m * p / (rank as f64 + 1.0)).max(p));
                if let Some(o) = out.get_mut(idx) {
                    *o = running.min(1.0);
                }
            }
        }
    }
    Ok(out)
}
