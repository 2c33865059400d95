//! A/B test statistics on summary numbers: intervals, tests, multiple-comparison adjustment, Bayesian
//! comparison, GrowthBook-style effect estimates, power and heterogeneity.
//!
//! Conventions shared by every function:
//! * `control` first, `treatment` second; every difference is **treatment − control** (relative lifts are
//!   `treatment / control − 1`).
//! * [`Alternative::Greater`] means H1: treatment > control.
//! * `confidence` defaults to 0.95 and must lie in (0, 1).
//! * p-values come from survival functions (`sf`), never `1 − cdf`, so p-values near 0 keep their digits.
//! * Invalid input returns [`crate::Error`] with code `INVALID_ARGUMENT` naming the argument; results that are
//!   mathematically undefined (both groups at 0 %, zero variance, …) come back with `NaN` fields and a `warning`.
//!
//! Each function documents its formula and the reference implementation its fixtures were generated with
//! (`scripts/gen_stats_fixtures.py`, compared in `tests/stats_fixtures.rs`).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

mod adjust;
mod barnard;
mod bayes;
mod chisq;
mod compare;
mod compare_proportions;
mod difference;
pub(crate) mod dist;
mod fisher;
mod heterogeneity;
mod mover;
mod power;
mod proportion;
mod rounding;
mod score;
mod sequential;
mod ttest;
mod ztest;

pub use adjust::{adjust_p_values, AdjustMethod};
pub use bayes::{bayes_binomial, BayesBinomialOptions, BayesBinomialResult, BetaPrior};
pub use chisq::{chi_square_independence, srm, ChiSquareOptions, ChiSquareResult, SrmOptions, SrmResult};
pub use compare::{
    compare, CompareOptions, CompareResult, Difference, Engine, GaussianPrior, Metric, Sequential, Summary,
};
pub use difference::{proportion_difference_interval, DifferenceMethod, DifferenceOptions};
pub use fisher::{fisher_exact, FisherOptions, FisherResult};
pub use heterogeneity::{heterogeneity, HeterogeneityResult};
pub use power::{
    minimum_detectable_effect, power, sample_size, MdeOptions, MdeResult, PowerOptions, PowerResult, SampleSizeOptions,
    SampleSizeResult,
};
pub use proportion::{proportion_interval, IntervalMethod, IntervalOptions};
pub use rounding::above_sums_rounding;
pub use ttest::{t_test, TTestOptions, TTestResult};
pub use ztest::{two_proportion_z_test, ZTestOptions, ZTestResult};

/// Direction of the alternative hypothesis. Serialized as `'two-sided' | 'greater' | 'less'`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Alternative {
    /// H1: treatment ≠ control.
    #[default]
    TwoSided,
    /// H1: treatment > control.
    Greater,
    /// H1: treatment < control.
    Less,
}

/// Conversions of one group: `{ successes, trials }`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Proportion {
    /// Number of converted units (0 ≤ successes ≤ trials).
    pub successes: f64,
    /// Number of units.
    pub trials: f64,
}

impl Proportion {
    /// A proportion from counts.
    pub fn new(successes: f64, trials: f64) -> Self {
        Proportion { successes, trials }
    }

    /// Check the counts; `name` is the argument name used in errors (`control`, `treatment`, …).
    pub fn validate(&self, name: &str) -> Result<()> {
        count(&format!("{name}.successes"), self.successes)?;
        count(&format!("{name}.trials"), self.trials)?;
        if self.successes > self.trials {
            return Err(Error::invalid_argument(
                &format!("{name}.successes"),
                format!("successes ({}) must not exceed trials ({})", self.successes, self.trials),
            ));
        }
        Ok(())
    }

    /// `successes / trials` (NaN when trials = 0).
    pub fn rate(&self) -> f64 {
        if self.trials > 0.0 {
            self.successes / self.trials
        } else {
            f64::NAN
        }
    }
}

/// Summary of a continuous metric in one group: either `{ mean, variance, n }` (sample variance, divisor n − 1)
/// or `{ sum, sumSquares, n }`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MeanSummary {
    /// Mean, sample variance (n − 1 divisor) and count.
    #[serde(rename_all = "camelCase")]
    Moments {
        /// Sample mean.
        mean: f64,
        /// Sample variance with divisor n − 1.
        variance: f64,
        /// Number of units.
        n: f64,
    },
    /// Sum, sum of squares and count.
    #[serde(rename_all = "camelCase")]
    Sums {
        /// Σx.
        sum: f64,
        /// Σx².
        sum_squares: f64,
        /// Number of units.
        n: f64,
    },
}

/// A validated `(mean, sample variance, n)` triple. Mean is NaN when n = 0; variance is 0 when n ≤ 1 for the
/// sums form (as GrowthBook does).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moments {
    /// Mean.
    pub mean: f64,
    /// Sample variance (n − 1 divisor).
    pub variance: f64,
    /// Count.
    pub n: f64,
}

impl MeanSummary {
    /// Validate and convert to `(mean, variance, n)`. From sums: mean = Σx/n, variance = (Σx² − (Σx)²/n)/(n − 1).
    pub fn moments(&self, name: &str) -> Result<Moments> {
        match *self {
            MeanSummary::Moments { mean, variance, n } => {
                finite(&format!("{name}.mean"), mean)?;
                count(&format!("{name}.n"), n)?;
                finite(&format!("{name}.variance"), variance)?;
                if variance < 0.0 {
                    return Err(Error::invalid_argument(&format!("{name}.variance"), "variance must be ≥ 0"));
                }
                Ok(Moments { mean: if n > 0.0 { mean } else { f64::NAN }, variance, n })
            }
            MeanSummary::Sums { sum, sum_squares, n } => {
                finite(&format!("{name}.sum"), sum)?;
                finite(&format!("{name}.sumSquares"), sum_squares)?;
                count(&format!("{name}.n"), n)?;
                if sum_squares < 0.0 {
                    return Err(Error::invalid_argument(&format!("{name}.sumSquares"), "sum of squares must be ≥ 0"));
                }
                if n == 0.0 {
                    return Ok(Moments { mean: f64::NAN, variance: f64::NAN, n });
                }
                let mean = sum / n;
                if n <= 1.0 {
                    return Ok(Moments { mean, variance: 0.0, n });
                }
                let ss = sum_squares - sum * mean;
                // Rounding can make Σx² − (Σx)²/n slightly negative; a clearly negative value is an input error.
                if ss < -1e-9 * sum_squares.max(f64::MIN_POSITIVE) {
                    return Err(Error::invalid_argument(
                        &format!("{name}.sumSquares"),
                        "sumSquares is smaller than sum²/n, which no data can produce",
                    ));
                }
                Ok(Moments { mean, variance: ss.max(0.0) / (n - 1.0), n })
            }
        }
    }
}

/// An estimate with an interval: `{ estimate, lower, upper }` (+ `warning` when undefined).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Interval {
    /// Point estimate.
    pub estimate: f64,
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// Why the result is NaN or degenerate, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

impl Interval {
    pub(crate) fn undefined(warning: impl Into<String>) -> Self {
        Interval { estimate: f64::NAN, lower: f64::NAN, upper: f64::NAN, warning: Some(warning.into()) }
    }
}

/// p-value of a statistic with a distribution symmetric about 0, from its survival function `sf`:
/// two-sided `2·sf(|s|)` (capped at 1), greater `sf(s)`, less `sf(−s)`.
pub fn p_value_symmetric(statistic: f64, alternative: Alternative, sf: impl Fn(f64) -> f64) -> f64 {
    if statistic.is_nan() {
        return f64::NAN;
    }
    match alternative {
        Alternative::TwoSided => (2.0 * sf(statistic.abs())).min(1.0),
        Alternative::Greater => sf(statistic),
        Alternative::Less => sf(-statistic),
    }
}

/// Critical value for a two-sided interval (`α/2` in each tail) or a one-sided bound (`α` in one tail).
pub(crate) fn tail_probability(confidence: f64, alternative: Alternative) -> f64 {
    let alpha = 1.0 - confidence;
    match alternative {
        Alternative::TwoSided => alpha / 2.0,
        _ => alpha,
    }
}

pub(crate) fn finite(name: &str, x: f64) -> Result<f64> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(Error::invalid_argument(name, format!("must be a finite number, got {x}")))
    }
}

/// The largest count accepted: 2^53 − 1, the largest integer every f64 (and JS number) below it represents
/// exactly. Beyond it `n + 1 == n` and some methods would loop or return lower > upper.
pub const MAX_COUNT: f64 = 9_007_199_254_740_991.0;

/// A finite number ≥ 0 (weights, variances).
pub(crate) fn nonnegative(name: &str, x: f64) -> Result<f64> {
    finite(name, x)?;
    if x < 0.0 {
        return Err(Error::invalid_argument(name, format!("must be ≥ 0, got {x}")));
    }
    Ok(x)
}

/// A count: a whole number in [0, 2^53 − 1].
pub(crate) fn count(name: &str, x: f64) -> Result<f64> {
    nonnegative(name, x)?;
    if x.fract() != 0.0 {
        return Err(Error::invalid_argument(name, format!("must be a whole number (a count), got {x}")));
    }
    if x > MAX_COUNT {
        return Err(Error::invalid_argument(name, format!("must be at most 2^53 − 1 = {MAX_COUNT}, got {x}")));
    }
    Ok(x)
}

/// Same as [`count`] (kept for the call sites that always required whole numbers).
pub(crate) fn integer_count(name: &str, x: f64) -> Result<f64> {
    count(name, x)
}

pub(crate) fn check_confidence(x: f64) -> Result<f64> {
    check_open_unit("confidence", x)
}

pub(crate) fn check_open_unit(name: &str, x: f64) -> Result<f64> {
    if x.is_finite() && x > 0.0 && x < 1.0 {
        Ok(x)
    } else {
        Err(Error::invalid_argument(name, format!("must lie strictly between 0 and 1, got {x}")))
    }
}

pub(crate) fn default_confidence() -> f64 {
    0.95
}
