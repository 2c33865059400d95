//! Confidence interval for the difference of two independent proportions, `p_t − p_c`.
//!
//! Reference: statsmodels `confint_proportions_2indep(count1=treatment, nobs1, count2=control, nobs2,
//! compare='diff', method='wald' | 'newcomb')`.
//! * **wald**: `d ± z·√(p_t(1−p_t)/n_t + p_c(1−p_c)/n_c)`, `z = Φ⁻¹(1 − α/2)`.
//! * **newcomb** (hybrid score, Newcomb 1998 method 10): with Wilson intervals `[l_t, u_t]`, `[l_c, u_c]`,
//!   `lower = d − √((p_t − l_t)² + (u_c − p_c)²)`, `upper = d + √((p_c − l_c)² + (u_t − p_t)²)`.
//!
//! Bounds are clipped to [−1, 1]. A group with 0 trials gives NaN with a warning; a zero-width Wald interval
//! (both groups at 0 % or 100 %) is returned with a warning.

use serde::{Deserialize, Serialize};

use super::dist::norm_isf;
use super::proportion::wilson;
use super::{check_confidence, default_confidence, Interval, Proportion};
use crate::error::Result;

/// Method for [`proportion_difference_interval`]. Serialized as `'wald' | 'newcomb'`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DifferenceMethod {
    /// Normal approximation with unpooled variance.
    Wald,
    /// Newcomb's hybrid score interval from two Wilson intervals (default).
    #[default]
    Newcomb,
}

/// Options of [`proportion_difference_interval`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct DifferenceOptions {
    /// Method (default Newcomb).
    pub method: DifferenceMethod,
    /// Confidence level in (0, 1) (default 0.95).
    pub confidence: f64,
}

impl Default for DifferenceOptions {
    fn default() -> Self {
        DifferenceOptions { method: DifferenceMethod::Newcomb, confidence: default_confidence() }
    }
}

/// Interval for `treatment rate − control rate`; see the module docs.
pub fn proportion_difference_interval(
    control: &Proportion,
    treatment: &Proportion,
    options: &DifferenceOptions,
) -> Result<Interval> {
    control.validate("control")?;
    treatment.validate("treatment")?;
    let confidence = check_confidence(options.confidence)?;
    if control.trials == 0.0 || treatment.trials == 0.0 {
        return Ok(Interval::undefined("a group has 0 trials: the difference is undefined"));
    }
    let (pc, pt) = (control.rate(), treatment.rate());
    let d = pt - pc;
    let (lower, upper, warning) = match options.method {
        DifferenceMethod::Wald => {
            let z = norm_isf((1.0 - confidence) / 2.0);
            let var = pt * (1.0 - pt) / treatment.trials + pc * (1.0 - pc) / control.trials;
            let w = z * var.sqrt();
            let warning = (var == 0.0)
                .then(|| "both groups have zero variance (0 % or 100 %): the Wald interval has zero width".to_string());
            (d - w, d + w, warning)
        }
        DifferenceMethod::Newcomb => {
            let (lt, ut) = wilson(treatment.successes, treatment.trials, confidence);
            let (lc, uc) = wilson(control.successes, control.trials, confidence);
            let lower = d - ((pt - lt).powi(2) + (uc - pc).powi(2)).sqrt();
            let upper = d + ((pc - lc).powi(2) + (ut - pt).powi(2)).sqrt();
            (lower, upper, None)
        }
    };
    Ok(Interval { estimate: d, lower: lower.clamp(-1.0, 1.0), upper: upper.clamp(-1.0, 1.0), warning })
}
