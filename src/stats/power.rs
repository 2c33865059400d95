//! Sample size, power and minimum detectable effect for comparing two proportions (normal approximation,
//! unpooled variance; e.g. Chow, Shao & Wang, "Sample Size Calculations in Clinical Research", §4.2).
//!
//! `p_c = baseline`, `p_t = p_c + δ` (absolute) or `p_c·(1 + δ)` (`relative: true`), `ratio = n_t/n_c`,
//! `z_α = Φ⁻¹(1 − α/2)` two-sided or `Φ⁻¹(1 − α)` one-sided, `z_β = Φ⁻¹(power)`:
//! * **sampleSize**: `n_c = (z_α + z_β)²·(p_c(1−p_c) + p_t(1−p_t)/ratio) / (p_t − p_c)²`; returned rounded up:
//!   `control = ⌈n_c⌉`, `treatment = ⌈ratio·n_c⌉`, `total = control + treatment`.
//! * **power** (given `control` = n_c units, treatment = ratio·n_c):
//!   `power = Φ(s·(p_t − p_c)/σ − z_α)`, `σ = √(p_c(1−p_c)/n_c + p_t(1−p_t)/(ratio·n_c))`, with `s = +1`
//!   for 'greater', `−1` for 'less' and `|·|` for 'two-sided' (the far tail is neglected, as in the sample-size
//!   formula, so the two are exact inverses).
//! * **minimumDetectableEffect**: the δ > 0 (δ < 0 for 'less') solving power(δ) = power, by bisection to
//!   machine precision; NaN + warning when no effect inside the rate's range reaches that power.

use serde::{Deserialize, Serialize};

use super::dist::{norm_cdf, norm_isf};
use super::{check_open_unit, finite, Alternative};
use crate::error::{Error, Result};

/// Options of [`sample_size`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SampleSizeOptions {
    /// Control conversion rate in (0, 1).
    pub baseline: f64,
    /// Effect to detect: absolute difference, or relative lift when `relative`.
    pub minimum_effect: f64,
    /// Whether `minimum_effect` is relative (default false).
    pub relative: bool,
    /// Significance level (default 0.05).
    pub alpha: f64,
    /// Power (default 0.8).
    pub power: f64,
    /// Treatment units per control unit (default 1).
    pub ratio: f64,
    /// Alternative (default two-sided).
    pub alternative: Alternative,
}

impl Default for SampleSizeOptions {
    fn default() -> Self {
        SampleSizeOptions {
            baseline: f64::NAN,
            minimum_effect: f64::NAN,
            relative: false,
            alpha: 0.05,
            power: 0.8,
            ratio: 1.0,
            alternative: Alternative::TwoSided,
        }
    }
}

/// Result of [`sample_size`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SampleSizeResult {
    /// Units needed in control.
    pub control: f64,
    /// Units needed in treatment.
    pub treatment: f64,
    /// control + treatment.
    pub total: f64,
}

/// Options of [`power`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct PowerOptions {
    /// Control conversion rate in (0, 1).
    pub baseline: f64,
    /// Effect: absolute difference, or relative lift when `relative`.
    pub minimum_effect: f64,
    /// Whether `minimum_effect` is relative (default false).
    pub relative: bool,
    /// Significance level (default 0.05).
    pub alpha: f64,
    /// Treatment units per control unit (default 1).
    pub ratio: f64,
    /// Alternative (default two-sided).
    pub alternative: Alternative,
    /// Units in control (> 0).
    pub control: f64,
}

impl Default for PowerOptions {
    fn default() -> Self {
        PowerOptions {
            baseline: f64::NAN,
            minimum_effect: f64::NAN,
            relative: false,
            alpha: 0.05,
            ratio: 1.0,
            alternative: Alternative::TwoSided,
            control: f64::NAN,
        }
    }
}

/// Result of [`power`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PowerResult {
    /// Probability of rejecting H0 when the effect is `minimum_effect`.
    pub power: f64,
}

/// Options of [`minimum_detectable_effect`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MdeOptions {
    /// Control conversion rate in (0, 1).
    pub baseline: f64,
    /// Whether to return the effect as a relative lift (default false).
    pub relative: bool,
    /// Significance level (default 0.05).
    pub alpha: f64,
    /// Power (default 0.8).
    pub power: f64,
    /// Treatment units per control unit (default 1).
    pub ratio: f64,
    /// Alternative (default two-sided).
    pub alternative: Alternative,
    /// Units in control (> 0).
    pub control: f64,
}

impl Default for MdeOptions {
    fn default() -> Self {
        MdeOptions {
            baseline: f64::NAN,
            relative: false,
            alpha: 0.05,
            power: 0.8,
            ratio: 1.0,
            alternative: Alternative::TwoSided,
            control: f64::NAN,
        }
    }
}

/// Result of [`minimum_detectable_effect`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MdeResult {
    /// Smallest effect (absolute, or relative when `relative`) detectable with the requested power.
    pub minimum_effect: f64,
    /// Why the result is NaN, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

fn z_alpha(alpha: f64, alternative: Alternative) -> f64 {
    match alternative {
        Alternative::TwoSided => norm_isf(alpha / 2.0),
        _ => norm_isf(alpha),
    }
}

fn check_common(baseline: f64, alpha: f64, ratio: f64) -> Result<()> {
    check_open_unit("baseline", baseline)?;
    check_open_unit("alpha", alpha)?;
    finite("ratio", ratio)?;
    if ratio <= 0.0 {
        return Err(Error::invalid_argument("ratio", format!("must be > 0, got {ratio}")));
    }
    Ok(())
}

fn treatment_rate(baseline: f64, effect: f64, relative: bool, alternative: Alternative) -> Result<f64> {
    finite("minimumEffect", effect)?;
    let pt = if relative { baseline * (1.0 + effect) } else { baseline + effect };
    if !(pt > 0.0 && pt < 1.0) || pt == baseline {
        return Err(Error::invalid_argument(
            "minimumEffect",
            format!("the treatment rate {pt} must differ from the baseline and lie strictly between 0 and 1"),
        ));
    }
    match alternative {
        Alternative::Greater if pt < baseline => {
            Err(Error::invalid_argument("minimumEffect", "must be positive for alternative 'greater'"))
        }
        Alternative::Less if pt > baseline => {
            Err(Error::invalid_argument("minimumEffect", "must be negative for alternative 'less'"))
        }
        _ => Ok(pt),
    }
}

/// Units needed per group; see the module docs.
pub fn sample_size(options: &SampleSizeOptions) -> Result<SampleSizeResult> {
    let o = options;
    check_common(o.baseline, o.alpha, o.ratio)?;
    check_open_unit("power", o.power)?;
    let pt = treatment_rate(o.baseline, o.minimum_effect, o.relative, o.alternative)?;
    let pc = o.baseline;
    let z = z_alpha(o.alpha, o.alternative) + norm_isf(1.0 - o.power);
    let nc = z * z * (pc * (1.0 - pc) + pt * (1.0 - pt) / o.ratio) / ((pt - pc) * (pt - pc));
    let control = nc.ceil();
    let treatment = (o.ratio * nc).ceil();
    Ok(SampleSizeResult { control, treatment, total: control + treatment })
}

fn power_at(pc: f64, pt: f64, nc: f64, ratio: f64, za: f64, alternative: Alternative) -> f64 {
    let sd = (pc * (1.0 - pc) / nc + pt * (1.0 - pt) / (ratio * nc)).sqrt();
    let d = pt - pc;
    let signed = match alternative {
        Alternative::TwoSided => d.abs(),
        Alternative::Greater => d,
        Alternative::Less => -d,
    };
    norm_cdf(signed / sd - za)
}

/// Power of the test for a given control size; see the module docs.
pub fn power(options: &PowerOptions) -> Result<PowerResult> {
    let o = options;
    check_common(o.baseline, o.alpha, o.ratio)?;
    finite("control", o.control)?;
    if o.control <= 0.0 {
        return Err(Error::invalid_argument("control", "must be > 0"));
    }
    let pt = treatment_rate(o.baseline, o.minimum_effect, o.relative, Alternative::TwoSided)?;
    Ok(PowerResult {
        power: power_at(o.baseline, pt, o.control, o.ratio, z_alpha(o.alpha, o.alternative), o.alternative),
    })
}

/// Smallest detectable effect for a given control size; see the module docs.
pub fn minimum_detectable_effect(options: &MdeOptions) -> Result<MdeResult> {
    let o = options;
    check_common(o.baseline, o.alpha, o.ratio)?;
    check_open_unit("power", o.power)?;
    finite("control", o.control)?;
    if o.control <= 0.0 {
        return Err(Error::invalid_argument("control", "must be > 0"));
    }
    let pc = o.baseline;
    let za = z_alpha(o.alpha, o.alternative);
    let down = o.alternative == Alternative::Less;
    // search δ in (0, room) in the chosen direction; power increases with |δ| for the relevant side
    let room = if down { pc } else { 1.0 - pc };
    let f = |delta: f64| {
        let pt = if down { pc - delta } else { pc + delta };
        power_at(pc, pt, o.control, o.ratio, za, o.alternative) - o.power
    };
    let (mut lo, mut hi) = (0.0_f64, room);
    if !(f(hi * (1.0 - 1e-15)) >= 0.0) {
        return Ok(MdeResult {
            minimum_effect: f64::NAN,
            warning: Some("no effect within the rate's range reaches the requested power".into()),
        });
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if f(mid) >= 0.0 {
            hi = mid
        } else {
            lo = mid
        }
    }
    let delta = if down { -hi } else { hi };
    Ok(MdeResult { minimum_effect: if o.relative { delta / pc } else { delta }, warning: None })
}
