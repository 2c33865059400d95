//! GrowthBook-style effect estimate for one metric: frequentist (fixed-horizon or sequential) or Bayesian.
//!
//! Inputs per group: a proportion `{ successes, trials }` (mean `p`, variance `p(1−p)`, as gbstats'
//! `ProportionStatistic`) or a mean summary `{ mean, variance, n }` / `{ sum, sumSquares, n }`.
//! With means `m_c, m_t`, variances `v_c, v_t` and counts `n_c, n_t` (reference: gbstats 0.8
//! `frequentist_diff` / `frequentist_variance`):
//! * absolute: `Δ = m_t − m_c`, `Var = v_t/n_t + v_c/n_c`
//! * relative (delta method): `Δ = m_t/m_c − 1`, `Var = v_t/(m_c²n_t) + v_c·m_t²/(m_c⁴n_c)`
//!
//! `standardError = √Var`. Engines:
//! * **frequentist, fixed horizon** (gbstats `TwoSidedTTest` / `OneSided…`): Welch–Satterthwaite
//!   `df = (v_t/n_t + v_c/n_c)² / ((v_t/n_t)²/(n_t−1) + (v_c/n_c)²/(n_c−1))`, `t = Δ/SE`; two-sided:
//!   `p = 2·S_t(|t|)`, `Δ ± t_{α/2}·SE`; greater: `p = S_t(t)`, `[Δ − t_α·SE, ∞)`; less: `p = S_t(−t)`,
//!   `(−∞, Δ + t_α·SE]` (gbstats 0.8 returns `Δ − t_α·SE` as the upper bound here; that is a bug we do not copy).
//! * **frequentist, sequential** (gbstats `SequentialTwoSidedTTest`; asymptotic confidence sequence of
//!   Waudby-Smith et al. 2023, eq. 9/155/161), two-sided only: `N = n_c + n_t`,
//!   `ρ = √((−2 ln α + ln(−2 ln α + 1))/tuning)`, half-width `√(N·Var)·√(2(Nρ²+1)·ln(√(Nρ²+1)/α)/(Nρ)²)`,
//!   `p = min(1, √(Nρ²+1)·exp(−ρ²·(Δ²N/Var)/(2(Nρ²+1))))`. `tuning` defaults to 5000.
//! * **bayesian** (gbstats `EffectBayesianABTest`): the effect's posterior is normal. Without a prior (flat):
//!   `N(Δ, Var)`; with a Gaussian prior `{mean μ₀, variance σ₀²}` on the same scale as `difference`:
//!   precision `1/Var + 1/σ₀²`, mean `(Δ/Var + μ₀/σ₀²)/precision`. `chanceToWin = P(effect > 0)`;
//!   interval = equal-tailed credible interval at `confidence`; `risk = [E[max(effect, 0)], E[max(−effect, 0)]]`
//!   = `[σφ(μ/σ) + μΦ(μ/σ), σφ(μ/σ) − μΦ(−μ/σ)]` (expected loss of shipping control, treatment), the second
//!   form evaluated with a continued fraction for the Mills ratio when |μ/σ| > 5 to avoid cancellation.
//!   `alternative` does not apply to the Bayesian engine. `pValue` is `null` for it, and `chanceToWin`/`risk`
//!   are `null` for the frequentist engines.
//!
//! Undefined (NaN + warning): a group with no units, zero total variance, relative lift with control mean 0,
//! Welch df undefined (a group with n < 2 and positive variance).

use serde::{Deserialize, Serialize};

use super::dist::{norm_isf, norm_pdf, norm_sf, t_isf, t_sf};
use super::{
    check_confidence, default_confidence, finite, p_value_symmetric, tail_probability, Alternative, MeanSummary,
    Moments, Proportion,
};
use crate::error::{Error, Result};

/// Kind of metric. Serialized as `'proportion' | 'mean'`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Metric {
    /// Conversion rate, inputs `{ successes, trials }`.
    Proportion,
    /// Mean, inputs `{ mean, variance, n }` or `{ sum, sumSquares, n }`.
    Mean,
}

/// Absolute or relative difference. Serialized as `'absolute' | 'relative'`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Difference {
    /// `m_t − m_c`.
    Absolute,
    /// `m_t/m_c − 1` (default, as GrowthBook).
    #[default]
    Relative,
}

/// Statistics engine. Serialized as `'frequentist' | 'bayesian'`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Engine {
    /// t-test / confidence sequence (default).
    #[default]
    Frequentist,
    /// Normal posterior on the effect.
    Bayesian,
}

/// Sequential-testing settings `{ tuning }`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Sequential {
    /// GrowthBook's `sequentialTuningParameter` (expected total sample size to optimise for), default 5000.
    pub tuning: f64,
}

impl Default for Sequential {
    fn default() -> Self {
        Sequential { tuning: 5000.0 }
    }
}

/// Gaussian prior `{ mean, variance }` on the effect, on the scale of `difference`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct GaussianPrior {
    /// Prior mean of the effect.
    pub mean: f64,
    /// Prior variance of the effect, > 0.
    pub variance: f64,
}

impl Default for GaussianPrior {
    fn default() -> Self {
        GaussianPrior { mean: 0.0, variance: 1.0 }
    }
}

/// One group's input to [`compare`]: a proportion or a mean summary.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Summary {
    /// `{ successes, trials }`.
    Proportion(Proportion),
    /// `{ mean, variance, n }` or `{ sum, sumSquares, n }`.
    Mean(MeanSummary),
}

/// Options of [`compare`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct CompareOptions {
    /// Metric kind; inferred from the inputs' shape when absent.
    pub metric: Option<Metric>,
    /// Absolute or relative (default) difference.
    pub difference: Difference,
    /// Alternative hypothesis for the frequentist engine (default two-sided).
    pub alternative: Alternative,
    /// Confidence (frequentist) or credible-interval mass (Bayesian), default 0.95.
    pub confidence: f64,
    /// Sequential testing (frequentist, two-sided only); `null` for a fixed-horizon test.
    pub sequential: Option<Sequential>,
    /// Engine (default frequentist).
    pub engine: Engine,
    /// Gaussian prior for the Bayesian engine; `null` for a flat (improper) prior.
    pub prior: Option<GaussianPrior>,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            metric: None,
            difference: Difference::Relative,
            alternative: Alternative::TwoSided,
            confidence: default_confidence(),
            sequential: None,
            engine: Engine::Frequentist,
            prior: None,
        }
    }
}

/// Result of [`compare`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompareResult {
    /// Effect estimate (posterior mean for the Bayesian engine).
    pub estimate: f64,
    /// Lower bound (−∞ for `alternative: 'less'`).
    pub lower: f64,
    /// Upper bound (+∞ for `alternative: 'greater'`).
    pub upper: f64,
    /// Standard error of the estimate (posterior standard deviation for the Bayesian engine).
    pub standard_error: f64,
    /// p-value (frequentist), `null` for the Bayesian engine.
    pub p_value: Option<f64>,
    /// P(effect > 0) (Bayesian), `null` for the frequentist engine.
    pub chance_to_win: Option<f64>,
    /// `[risk of shipping control, risk of shipping treatment]` (Bayesian), `null` for the frequentist engine.
    pub risk: Option<[f64; 2]>,
    /// Why the result is NaN, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// GrowthBook-style effect estimate; see the module docs.
pub fn compare(control: &Summary, treatment: &Summary, options: &CompareOptions) -> Result<CompareResult> {
    let confidence = check_confidence(options.confidence)?;
    let metric = options.metric.unwrap_or(match control {
        Summary::Proportion(_) => Metric::Proportion,
        Summary::Mean(_) => Metric::Mean,
    });
    let c = moments(control, metric, "control")?;
    let t = moments(treatment, metric, "treatment")?;
    if let Some(seq) = options.sequential {
        finite("sequential.tuning", seq.tuning)?;
        if seq.tuning <= 0.0 {
            return Err(Error::invalid_argument("sequential.tuning", "must be > 0"));
        }
        if options.alternative != Alternative::TwoSided && options.engine == Engine::Frequentist {
            return Err(Error::invalid_argument(
                "sequential",
                "sequential testing supports alternative 'two-sided' only",
            ));
        }
    }
    if let Some(prior) = options.prior {
        finite("prior.mean", prior.mean)?;
        finite("prior.variance", prior.variance)?;
        if prior.variance <= 0.0 {
            return Err(Error::invalid_argument("prior.variance", "must be > 0"));
        }
    }
    let bayes = options.engine == Engine::Bayesian;
    let undefined = |msg: &str| CompareResult {
        estimate: f64::NAN,
        lower: f64::NAN,
        upper: f64::NAN,
        standard_error: f64::NAN,
        p_value: (!bayes).then_some(f64::NAN),
        chance_to_win: bayes.then_some(f64::NAN),
        risk: bayes.then_some([f64::NAN, f64::NAN]),
        warning: Some(msg.to_string()),
    };
    if c.n == 0.0 || t.n == 0.0 {
        return Ok(undefined("a group has no units: the effect is undefined"));
    }
    let relative = options.difference == Difference::Relative;
    if relative && c.mean == 0.0 {
        return Ok(undefined("control mean is 0: the relative lift is undefined"));
    }
    let (estimate, variance) = if relative {
        (
            (t.mean - c.mean) / c.mean,
            t.variance / (c.mean * c.mean * t.n) + c.variance * t.mean * t.mean / (c.mean.powi(4) * c.n),
        )
    } else {
        (t.mean - c.mean, t.variance / t.n + c.variance / c.n)
    };
    if !(variance > 0.0) || !variance.is_finite() {
        return Ok(undefined("zero variance in both groups: the effect's standard error is 0"));
    }
    let alpha = 1.0 - confidence;
    if bayes {
        let (mu, var) = match options.prior {
            None => (estimate, variance),
            Some(p) => {
                let prec = 1.0 / variance + 1.0 / p.variance;
                ((estimate / variance + p.mean / p.variance) / prec, 1.0 / prec)
            }
        };
        let sd = var.sqrt();
        let z = norm_isf(alpha / 2.0);
        let (risk_control, risk_treatment) = normal_risk(mu, sd);
        return Ok(CompareResult {
            estimate: mu,
            lower: mu - z * sd,
            upper: mu + z * sd,
            standard_error: sd,
            p_value: None,
            chance_to_win: Some(norm_sf(-mu / sd)),
            risk: Some([risk_control, risk_treatment]),
            warning: None,
        });
    }
    let se = variance.sqrt();
    if let Some(seq) = options.sequential {
        let n = c.n + t.n;
        let la = alpha.ln();
        let rho = ((-2.0 * la + (-2.0 * la + 1.0).ln()) / seq.tuning).sqrt();
        let nr2 = n * rho * rho + 1.0;
        let width = (variance * n).sqrt() * (2.0 * nr2 * (nr2.sqrt() / alpha).ln() / (n * rho).powi(2)).sqrt();
        let st2 = estimate * estimate * n / variance;
        let p = (0.5 * nr2.ln() - rho * rho * st2 / (2.0 * nr2)).exp().min(1.0);
        return Ok(CompareResult {
            estimate,
            lower: estimate - width,
            upper: estimate + width,
            standard_error: se,
            p_value: Some(p),
            chance_to_win: None,
            risk: None,
            warning: None,
        });
    }
    let (vt, vc) = (t.variance / t.n, c.variance / c.n);
    let df = super::ttest::welch_df(vt, t.n, vc, c.n);
    if !(df > 0.0) {
        return Ok(undefined("a group with fewer than 2 units has positive variance: the Welch df is undefined"));
    }
    let stat = estimate / se;
    let p = p_value_symmetric(stat, options.alternative, |x| t_sf(x, df));
    let crit = t_isf(tail_probability(confidence, options.alternative), df);
    let (lower, upper) = match options.alternative {
        Alternative::TwoSided => (estimate - crit * se, estimate + crit * se),
        Alternative::Greater => (estimate - crit * se, f64::INFINITY),
        Alternative::Less => (f64::NEG_INFINITY, estimate + crit * se),
    };
    Ok(CompareResult {
        estimate,
        lower,
        upper,
        standard_error: se,
        p_value: Some(p),
        chance_to_win: None,
        risk: None,
        warning: None,
    })
}

fn moments(s: &Summary, metric: Metric, name: &str) -> Result<Moments> {
    match (s, metric) {
        (Summary::Proportion(p), Metric::Proportion) => {
            p.validate(name)?;
            let m = p.rate();
            Ok(Moments { mean: m, variance: m * (1.0 - m), n: p.trials })
        }
        (Summary::Mean(m), Metric::Mean) => m.moments(name),
        (Summary::Proportion(_), Metric::Mean) => {
            Err(Error::invalid_argument(name, "metric 'mean' needs { mean, variance, n } or { sum, sumSquares, n }"))
        }
        (Summary::Mean(_), Metric::Proportion) => {
            Err(Error::invalid_argument(name, "metric 'proportion' needs { successes, trials }"))
        }
    }
}

/// `(E[max(X, 0)], E[max(−X, 0)])` for X ~ N(μ, σ²).
fn normal_risk(mu: f64, sd: f64) -> (f64, f64) {
    let z = mu / sd;
    // E[max(X,0)] = σ·(φ(z) + zΦ(z)) = σ·g(−z) with g(u) = φ(u) − u·Q(u) ≥ 0, Q the upper tail.
    (sd * upper_partial(-z), sd * upper_partial(z))
}

/// `g(u) = φ(u) − u·Q(u) = ∫_u^∞ (x − u)φ(x) dx`, without cancellation for large u.
fn upper_partial(u: f64) -> f64 {
    if u <= 5.0 {
        return norm_pdf(u) - u * norm_sf(u);
    }
    // Q(u) = φ(u)/(u + c), c = 1/(u + 2/(u + 3/(u + …))) (Laplace's continued fraction), so
    // g(u) = φ(u)·(1 − u/(u + c)) = φ(u)·c/(u + c).
    let mut f = u;
    for k in (2..=60).rev() {
        f = u + f64::from(k) / f;
    }
    let c = 1.0 / f;
    norm_pdf(u) * c / (u + c)
}
