//! GrowthBook-style effect estimate for one metric: frequentist (fixed-horizon or sequential) or Bayesian.
//!
//! Inputs per group: a proportion `{ successes, trials }` (mean `p`, variance `p(1−p)`, as gbstats'
//! `ProportionStatistic`) or a mean summary `{ mean, variance, n }` / `{ sum, sumSquares, n }`.
//! With means `m_c, m_t`, variances `v_c, v_t` and counts `n_c, n_t` (reference: gbstats 0.8
//! `frequentist_diff` / `frequentist_variance`):
//! * absolute: `Δ = m_t − m_c`, `Var = v_t/n_t + v_c/n_c`
//! * relative (delta method): `Δ = m_t/m_c − 1`, `Var = v_t/(m_c²n_t) + v_c·m_t²/(m_c⁴n_c)`
//!
//! `standardError = √Var` (for the relative lift: its delta-method standard error, used by heterogeneity tests).
//!
//! **One null hypothesis, one p-value.** The frequentist engines test "no difference" (`m_t = m_c`) with the
//! absolute statistic, whatever `difference` is shown: the relative lift's p-value is the absolute one. (The
//! delta-method z of the lift, `Δ_rel/SE_rel`, is a different test whose size is far above α at small counts.)
//! * **fixed horizon** (gbstats `TwoSidedTTest` / `OneSided…`): Welch–Satterthwaite
//!   `df = (v_t/n_t + v_c/n_c)² / ((v_t/n_t)²/(n_t−1) + (v_c/n_c)²/(n_c−1))`, `t = Δ/SE`; two-sided:
//!   `p = 2·S_t(|t|)`, greater: `p = S_t(t)`, less: `p = S_t(−t)`; multiplier `q = t_{α/2}` (one-sided `t_α`).
//!   gbstats 0.8 returns `Δ − t_α·SE` as the upper bound of 'less'; that is a bug we do not copy.
//! * **sequential**: GrowthBook's asymptotic confidence sequences, two- or one-sided (`super::sequential`).
//! * **proportions, fixed horizon** (`super::compare_proportions`): the pooled score test — Barnard's exact
//!   test up to 1000 units in all, Fisher's exact test for larger tables with an expected count below 5
//!   (Cochran's rule; `warning` then says the result is unreliable), else normal — with Mee's score interval
//!   for the difference at `z_α` and the MOVER-J interval for the risk ratio, their bound at 0 moved where
//!   their verdict differs from the p-value's.
//! * **intervals** (means, and sequential tests): absolute `Δ ± q·SE`; relative: Fieller's interval for
//!   `m_t/m_c` with the same `q`, minus 1, intersected with `[−100 %, ∞)` for proportions and non-negative
//!   means — it excludes 0 exactly when the test rejects, and is unbounded (with a warning) when the control
//!   mean is not distinguishable from 0.
//! * **bayesian** (gbstats `EffectBayesianABTest`): the effect's posterior is normal. Without a prior (flat):
//!   `N(Δ, Var)`; with a Gaussian prior `{mean μ₀, variance σ₀²}` on the same scale as `difference`:
//!   precision `1/Var + 1/σ₀²`, mean `(Δ/Var + μ₀/σ₀²)/precision`. `chanceToWin = P(effect > 0)`;
//!   interval = equal-tailed credible interval at `confidence`; `risk = [E[max(effect, 0)], E[max(−effect, 0)]]`
//!   = `[σφ(μ/σ) + μΦ(μ/σ), σφ(μ/σ) − μΦ(−μ/σ)]` (expected loss of shipping control, treatment), the second
//!   form evaluated with a continued fraction for the Mills ratio when |μ/σ| > 5 to avoid cancellation.
//!   `alternative` does not apply to the Bayesian engine. `pValue` is `null` for it, and `chanceToWin`/`risk`
//!   are `null` for the frequentist engines.
//!
//! Undefined (NaN + warning): a group with fewer than 2 units (no variance estimate), zero total variance.
//! A relative lift with control mean 0 (or one that overflows) is NaN with a warning, its interval too, but the
//! frequentist p-value of "no difference" is still given — the absolute mode's, since it is the same hypothesis
//! (the Bayesian engine's posterior is on the lift's scale, so it is undefined there).

use serde::{Deserialize, Serialize};

use super::compare_proportions::compare_proportions;
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

/// `true` (default settings), `false`/`null` (fixed horizon) or `{ tuning }`, as `analyze` accepts.
fn sequential_option<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Option<Sequential>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Settings(Sequential),
    }
    Ok(match Option::<Flag>::deserialize(d)? {
        None | Some(Flag::Bool(false)) => None,
        Some(Flag::Bool(true)) => Some(Sequential::default()),
        Some(Flag::Settings(s)) => Some(s),
    })
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
    /// Sequential testing (frequentist): `true`, `{ tuning }`, or `null`/`false` for a fixed-horizon test.
    #[serde(deserialize_with = "sequential_option")]
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
    }
    if let Some(prior) = options.prior {
        finite("prior.mean", prior.mean)?;
        finite("prior.variance", prior.variance)?;
        if prior.variance <= 0.0 {
            return Err(Error::invalid_argument("prior.variance", "must be > 0"));
        }
    }
    let bayes = options.engine == Engine::Bayesian;
    if c.n == 0.0 || t.n == 0.0 {
        return Ok(undefined(bayes, "a group has no units: the effect is undefined"));
    }
    // One unit gives no variance estimate (GrowthBook's sums form calls it 0, which made p = 0).
    if c.n < 2.0 || t.n < 2.0 {
        return Ok(undefined(bayes, "a group has a single unit: its variance, and so the test, is undefined"));
    }
    let relative = options.difference == Difference::Relative;
    if relative && c.mean == 0.0 {
        return without_lift(control, treatment, options, "control mean is 0");
    }
    let (vt, vc) = (t.variance / t.n, c.variance / c.n);
    if vt + vc <= 0.0 || !(vt + vc).is_finite() {
        return Ok(undefined(bayes, "zero variance in both groups: the effect's standard error is 0"));
    }
    let (estimate, variance) = if relative {
        ((t.mean - c.mean) / c.mean, vt / (c.mean * c.mean) + vc * t.mean * t.mean / c.mean.powi(4))
    } else {
        (t.mean - c.mean, vt + vc)
    };
    if !variance.is_finite() || !estimate.is_finite() {
        if relative {
            return without_lift(control, treatment, options, "the relative lift or its variance overflows");
        }
        return Ok(undefined(bayes, "the effect or its variance overflows: the effect is undefined"));
    }
    if bayes {
        if variance <= 0.0 {
            return Ok(undefined(true, "the relative lift's variance is 0 (treatment at 0): no posterior"));
        }
        return Ok(bayesian(estimate, variance, options.prior, confidence));
    }
    if let (Metric::Proportion, Summary::Proportion(pc), Summary::Proportion(pt), None) =
        (metric, control, treatment, options.sequential)
    {
        let r = compare_proportions(pc, pt, relative, options.alternative, confidence)?;
        return Ok(CompareResult {
            estimate,
            lower: r.lower,
            upper: r.upper,
            standard_error: variance.sqrt(),
            p_value: Some(r.p),
            chance_to_win: None,
            risk: None,
            warning: r.warning,
        });
    }
    let test = frequentist_test(&c, &t, control, treatment, metric, options, confidence)?;
    let Some(q) = test.q else {
        return Ok(undefined(false, test.warning.as_deref().unwrap_or("the test is undefined")));
    };
    // A ratio of non-negative means is ≥ 0, so a lift is ≥ −100 %: intersecting the interval with the
    // parameter space keeps its coverage.
    let floor = if relative && (metric == Metric::Proportion || (c.mean > 0.0 && t.mean >= 0.0)) {
        -1.0
    } else {
        f64::NEG_INFINITY
    };
    let (lower, upper, bound_warning) = if relative {
        fieller(&c, &t, q)
    } else {
        let half = q * variance.sqrt();
        (estimate - half, estimate + half, None)
    };
    let (lower, upper) = match options.alternative {
        Alternative::TwoSided => (lower.max(floor), upper),
        Alternative::Greater => (lower.max(floor), f64::INFINITY),
        Alternative::Less => (floor, upper),
    };
    let warning = match (test.warning, bound_warning) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or(b),
    };
    Ok(CompareResult {
        estimate,
        lower,
        upper,
        standard_error: variance.sqrt(),
        p_value: Some(test.p),
        chance_to_win: None,
        risk: None,
        warning,
    })
}

/// A relative comparison whose lift cannot be expressed (`reason`: control mean 0, or the lift overflows). "No
/// difference" is one hypothesis whatever `difference` shows, so the frequentist engines still test it: the
/// result is the absolute mode's with the lift, its interval and standard error NaN (`CompareResult::without_lift`).
/// The Bayesian engine's posterior (and prior) is on the lift's scale, so there everything is undefined.
fn without_lift(
    control: &Summary,
    treatment: &Summary,
    options: &CompareOptions,
    reason: &str,
) -> Result<CompareResult> {
    if options.engine == Engine::Bayesian {
        return Ok(undefined(true, &format!("{reason}: the relative lift, and so its posterior, is undefined")));
    }
    let absolute = CompareOptions { difference: Difference::Absolute, ..*options };
    Ok(compare(control, treatment, &absolute)?.without_lift(reason))
}

/// A result with every number NaN and the reason in `warning`.
fn undefined(bayes: bool, msg: &str) -> CompareResult {
    CompareResult::undefined(bayes, msg)
}

impl CompareResult {
    /// Every number NaN (`pValue` for the frequentist engine, `chanceToWin`/`risk` for the Bayesian one) and the
    /// reason in `warning`.
    pub fn undefined(bayesian: bool, msg: &str) -> CompareResult {
        let bayes = bayesian;
        CompareResult {
            estimate: f64::NAN,
            lower: f64::NAN,
            upper: f64::NAN,
            standard_error: f64::NAN,
            p_value: (!bayes).then_some(f64::NAN),
            chance_to_win: bayes.then_some(f64::NAN),
            risk: bayes.then_some([f64::NAN, f64::NAN]),
            warning: Some(msg.to_string()),
        }
    }

    /// This frequentist result of the *absolute* mode, shown for a relative lift that cannot be expressed
    /// (`reason`, e.g. "control mean is 0"): estimate, interval and standard error NaN, the p-value of "no
    /// difference" kept (the same test as `difference: 'absolute'`), and `warning` saying why.
    pub fn without_lift(self, reason: &str) -> CompareResult {
        let msg = format!(
            "{reason}: the relative lift and its interval are undefined; the p-value is the test of no difference, \
             as with difference: 'absolute'"
        );
        CompareResult {
            estimate: f64::NAN,
            lower: f64::NAN,
            upper: f64::NAN,
            standard_error: f64::NAN,
            warning: Some(match self.warning {
                Some(w) => format!("{msg}; {w}"),
                None => msg,
            }),
            ..self
        }
    }
}

/// Normal posterior of the effect (flat or Gaussian prior), its credible interval, chanceToWin and risk.
fn bayesian(estimate: f64, variance: f64, prior: Option<GaussianPrior>, confidence: f64) -> CompareResult {
    let (mu, var) = match prior {
        None => (estimate, variance),
        Some(p) => {
            let prec = 1.0 / variance + 1.0 / p.variance;
            ((estimate / variance + p.mean / p.variance) / prec, 1.0 / prec)
        }
    };
    let sd = var.sqrt();
    let z = norm_isf((1.0 - confidence) / 2.0);
    let (risk_control, risk_treatment) = normal_risk(mu, sd);
    CompareResult {
        estimate: mu,
        lower: mu - z * sd,
        upper: mu + z * sd,
        standard_error: sd,
        p_value: None,
        chance_to_win: Some(norm_sf(-mu / sd)),
        risk: Some([risk_control, risk_treatment]),
        warning: None,
    }
}

/// The frequentist test of "no difference" (`m_t = m_c`), shared by both `difference` modes: its p-value and
/// the multiplier `q` such that the absolute interval is `Δ ± q·SE` (`None` when the test is undefined).
struct FrequentistTest {
    p: f64,
    q: Option<f64>,
    warning: Option<String>,
}

fn frequentist_test(
    c: &Moments,
    t: &Moments,
    control: &Summary,
    treatment: &Summary,
    metric: Metric,
    options: &CompareOptions,
    confidence: f64,
) -> Result<FrequentistTest> {
    let (vt, vc) = (t.variance / t.n, c.variance / c.n);
    let diff = t.mean - c.mean;
    let alpha = 1.0 - confidence;
    let small = match (metric, control, treatment) {
        (Metric::Proportion, Summary::Proportion(pc), Summary::Proportion(pt)) => {
            super::compare_proportions::small_sample(pc, pt)
        }
        _ => None,
    };
    if let Some(seq) = options.sequential {
        let (p, q) = super::sequential::test(diff, vt + vc, c.n + t.n, alpha, seq.tuning, options.alternative);
        let warning = small.map(|(_, msg)| format!("{msg}; the confidence sequence is approximate"));
        return Ok(FrequentistTest { p, q: Some(q), warning });
    }
    let df = super::ttest::welch_df(vt, t.n, vc, c.n);
    if df.is_nan() || df <= 0.0 {
        return Ok(FrequentistTest {
            p: f64::NAN,
            q: None,
            warning: Some("the Welch degrees of freedom are undefined".into()),
        });
    }
    let q = t_isf(tail_probability(confidence, options.alternative), df);
    let p = p_value_symmetric(diff / (vt + vc).sqrt(), options.alternative, |x| t_sf(x, df));
    Ok(FrequentistTest { p, q: Some(q), warning: None })
}

/// Fieller's interval for the lift `m_t/m_c − 1` with multiplier `q`: the set of ratios `R` that the test of
/// `m_t − R·m_c = 0` does not reject, `(m_t − R·m_c)² ≤ q²(v_t/n_t + R²·v_c/n_c)`. At `R = 1` this is the
/// absolute test, so the interval excludes 0 exactly when the p-value is below α. Unbounded (with a warning)
/// when the control mean is not distinguishable from 0 (`m_c² ≤ q²·v_c/n_c`).
fn fieller(c: &Moments, t: &Moments, q: f64) -> (f64, f64, Option<String>) {
    let (a, b) = (t.variance / t.n, c.variance / c.n);
    let q2 = q * q;
    let lead = c.mean * c.mean - q2 * b;
    if lead.is_nan() || lead <= 0.0 {
        return (
            f64::NEG_INFINITY,
            f64::INFINITY,
            Some("the control mean is not distinguishable from 0: the relative interval is unbounded".into()),
        );
    }
    // Roots of lead·R² − 2·m_t·m_c·R + (m_t² − q²a) = 0, written for the lift R − 1 without cancellation.
    let disc = q2 * (a * c.mean * c.mean + b * t.mean * t.mean - q2 * a * b);
    let centre = c.mean * (t.mean - c.mean) + q2 * b;
    let root = disc.max(0.0).sqrt();
    ((centre - root) / lead, (centre + root) / lead, None)
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
