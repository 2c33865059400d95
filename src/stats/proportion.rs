//! Confidence intervals for one binomial proportion.
//!
//! Reference: statsmodels `proportion_confint` (methods `wilson`, `agresti_coull`, `beta`, `normal`, `jeffreys`).
//! With `p̂ = x/n`, `z = Φ⁻¹(1 − α/2)`, `α = 1 − confidence`:
//! * **wilson**: `(p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)`
//! * **agresti-coull**: `ñ = n + z²`, `p̃ = (x + z²/2)/ñ`, `p̃ ± z·√(p̃(1−p̃)/ñ)`
//! * **clopper-pearson**: `[B⁻¹(α/2; x, n−x+1), B⁻¹(1−α/2; x+1, n−x)]`, lower 0 when x = 0, upper 1 when x = n
//! * **wald**: `p̂ ± z·√(p̂(1−p̂)/n)`
//! * **jeffreys**: equal-tailed interval of Beta(x + ½, n − x + ½)
//!
//! All bounds are clipped to [0, 1]. `estimate` is always `x/n`. `trials = 0` gives NaN with a warning.

use serde::{Deserialize, Serialize};

use super::dist::{beta_isf, beta_ppf, norm_isf};
use super::{check_confidence, count, default_confidence, Interval};
use crate::error::{Error, Result};

/// Interval method. Serialized as `'wilson' | 'agresti-coull' | 'clopper-pearson' | 'wald' | 'jeffreys'`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IntervalMethod {
    /// Wilson score interval (default).
    #[default]
    Wilson,
    /// Agresti–Coull "add z²/2 successes and failures".
    AgrestiCoull,
    /// Exact (Clopper–Pearson) interval from Beta quantiles.
    ClopperPearson,
    /// Normal approximation (Wald).
    Wald,
    /// Jeffreys equal-tailed Bayesian interval.
    Jeffreys,
}

/// Options of [`proportion_interval`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct IntervalOptions {
    /// Interval method (default Wilson).
    pub method: IntervalMethod,
    /// Confidence level in (0, 1) (default 0.95).
    pub confidence: f64,
}

impl Default for IntervalOptions {
    fn default() -> Self {
        IntervalOptions { method: IntervalMethod::Wilson, confidence: default_confidence() }
    }
}

/// Confidence interval for `successes / trials`; see the module docs for the formulas.
pub fn proportion_interval(successes: f64, trials: f64, options: &IntervalOptions) -> Result<Interval> {
    count("successes", successes)?;
    count("trials", trials)?;
    if successes > trials {
        return Err(Error::invalid_argument(
            "successes",
            format!("successes ({successes}) must not exceed trials ({trials})"),
        ));
    }
    let confidence = check_confidence(options.confidence)?;
    if trials == 0.0 {
        return Ok(Interval::undefined("trials is 0: the proportion is undefined"));
    }
    let (lower, upper) = bounds(successes, trials, options.method, confidence);
    Ok(Interval {
        estimate: successes / trials,
        lower: lower.clamp(0.0, 1.0),
        upper: upper.clamp(0.0, 1.0),
        warning: None,
    })
}

/// Unclipped bounds (x, n validated, n > 0).
pub(crate) fn bounds(x: f64, n: f64, method: IntervalMethod, confidence: f64) -> (f64, f64) {
    let alpha = 1.0 - confidence;
    let p = x / n;
    match method {
        IntervalMethod::Wilson => wilson(x, n, confidence),
        IntervalMethod::AgrestiCoull => {
            let z = norm_isf(alpha / 2.0);
            let nc = n + z * z;
            let pc = (x + z * z / 2.0) / nc;
            let d = z * (pc * (1.0 - pc) / nc).sqrt();
            (pc - d, pc + d)
        }
        IntervalMethod::Wald => {
            let z = norm_isf(alpha / 2.0);
            let d = z * (p * (1.0 - p) / n).sqrt();
            (p - d, p + d)
        }
        IntervalMethod::ClopperPearson => {
            let lower = if x == 0.0 { 0.0 } else { beta_ppf(x, n - x + 1.0, alpha / 2.0) };
            let upper = if x == n { 1.0 } else { beta_isf(x + 1.0, n - x, alpha / 2.0) };
            (lower, upper)
        }
        IntervalMethod::Jeffreys => {
            (beta_ppf(x + 0.5, n - x + 0.5, alpha / 2.0), beta_isf(x + 0.5, n - x + 0.5, alpha / 2.0))
        }
    }
}

/// Wilson score bounds (unclipped).
pub(crate) fn wilson(x: f64, n: f64, confidence: f64) -> (f64, f64) {
    let z = norm_isf((1.0 - confidence) / 2.0);
    let z2 = z * z;
    let p = x / n;
    let denom = 1.0 + z2 / n;
    let center = (p + z2 / (2.0 * n)) / denom;
    let dist = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    (center - dist, center + dist)
}
