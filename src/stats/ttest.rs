//! Two-sample t-test from summary statistics.
//!
//! Reference: scipy `ttest_ind_from_stats(mean_t, sd_t, n_t, mean_c, sd_c, n_c, equal_var, alternative)`.
//! `difference = m_t − m_c`, `t = difference / SE`.
//! * Welch (`equalVariance: false`, the default here; scipy's default is true): `SE = √(v_t/n_t + v_c/n_c)`,
//!   `df = SE⁴ / ((v_t/n_t)²/(n_t−1) + (v_c/n_c)²/(n_c−1))` (Welch–Satterthwaite).
//! * Student (`equalVariance: true`): `s_p² = ((n_t−1)v_t + (n_c−1)v_c)/(n_t+n_c−2)`, `SE = s_p·√(1/n_t + 1/n_c)`,
//!   `df = n_t + n_c − 2`.
//!
//! p-values from the Student t survival function (two-sided `2·S(|t|)`, greater `S(t)`, less `S(−t)`).
//! Undefined (NaN + warning) when SE = 0 or df ≤ 0 (e.g. a group with n < 2 under Welch).

use serde::{Deserialize, Serialize};

use super::dist::t_sf;
use super::{p_value_symmetric, Alternative, MeanSummary};
use crate::error::Result;

/// Options of [`t_test`].
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct TTestOptions {
    /// Pooled-variance Student test instead of Welch (default false).
    pub equal_variance: bool,
    /// Alternative hypothesis (default two-sided).
    pub alternative: Alternative,
}

/// Result of [`t_test`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TTestResult {
    /// t statistic.
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: f64,
    /// p-value.
    pub p_value: f64,
    /// `mean_t − mean_c`.
    pub difference: f64,
    /// Standard error of the difference.
    pub standard_error: f64,
    /// Why the result is NaN, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// Two-sample t-test; see the module docs.
pub fn t_test(control: &MeanSummary, treatment: &MeanSummary, options: &TTestOptions) -> Result<TTestResult> {
    let c = control.moments("control")?;
    let t = treatment.moments("treatment")?;
    let difference = t.mean - c.mean;
    let (se, df) = if options.equal_variance {
        let df = t.n + c.n - 2.0;
        let sp2 = ((t.n - 1.0) * t.variance + (c.n - 1.0) * c.variance) / df;
        ((sp2 * (1.0 / t.n + 1.0 / c.n)).sqrt(), df)
    } else {
        let (vt, vc) = (t.variance / t.n, c.variance / c.n);
        ((vt + vc).sqrt(), welch_df(vt, t.n, vc, c.n))
    };
    if !(se > 0.0) || !(df > 0.0) || difference.is_nan() {
        return Ok(TTestResult {
            statistic: f64::NAN,
            df: if df > 0.0 { df } else { f64::NAN },
            p_value: f64::NAN,
            difference,
            standard_error: if se >= 0.0 { se } else { f64::NAN },
            warning: Some("zero standard error or too few units (n < 2): the t statistic is undefined".into()),
        });
    }
    let statistic = difference / se;
    let p_value = p_value_symmetric(statistic, options.alternative, |x| t_sf(x, df));
    Ok(TTestResult { statistic, df, p_value, difference, standard_error: se, warning: None })
}

/// Welch–Satterthwaite degrees of freedom `(v_t/n_t + v_c/n_c)² / Σ (v/n)²/(n−1)`, from each group's `v/n`.
/// 0 when both groups have zero variance; a group with variance but n ≤ 1 makes it 0 (undefined).
pub(super) fn welch_df(vt_over_n: f64, nt: f64, vc_over_n: f64, nc: f64) -> f64 {
    let se2 = vt_over_n + vc_over_n;
    se2 * se2 / (term(vt_over_n, nt) + term(vc_over_n, nc))
}

/// `(v/n)²/(n−1)`, 0 for a zero-variance group, ∞ for a group with variance but n ≤ 1.
fn term(v_over_n: f64, n: f64) -> f64 {
    if v_over_n == 0.0 {
        0.0
    } else if n > 1.0 {
        v_over_n * v_over_n / (n - 1.0)
    } else {
        f64::INFINITY
    }
}
