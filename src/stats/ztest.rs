//! Pooled two-proportion z-test.
//!
//! Reference: statsmodels `proportions_ztest([x_t, x_c], [n_t, n_c], alternative)` (pooled variance, value 0).
//! `p̄ = (x_t + x_c)/(n_t + n_c)`, `z = (p_t − p_c) / √(p̄(1−p̄)(1/n_t + 1/n_c))`; p-value from the normal
//! survival function: two-sided `2·Q(|z|)`, greater `Q(z)`, less `Q(−z)`.
//! Undefined (NaN + warning) when a group has 0 trials or p̄ ∈ {0, 1}.

use serde::{Deserialize, Serialize};

use super::dist::norm_sf;
use super::{p_value_symmetric, Alternative, Proportion};
use crate::error::Result;

/// Options of [`two_proportion_z_test`].
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ZTestOptions {
    /// Alternative hypothesis (default two-sided).
    pub alternative: Alternative,
}

/// Result of [`two_proportion_z_test`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZTestResult {
    /// z statistic.
    pub statistic: f64,
    /// p-value.
    pub p_value: f64,
    /// `p_t − p_c`.
    pub difference: f64,
    /// Why the result is NaN, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// Pooled two-proportion z-test; see the module docs.
pub fn two_proportion_z_test(
    control: &Proportion,
    treatment: &Proportion,
    options: &ZTestOptions,
) -> Result<ZTestResult> {
    control.validate("control")?;
    treatment.validate("treatment")?;
    if control.trials == 0.0 || treatment.trials == 0.0 {
        return Ok(ZTestResult {
            statistic: f64::NAN,
            p_value: f64::NAN,
            difference: f64::NAN,
            warning: Some("a group has 0 trials: the test is undefined".into()),
        });
    }
    let (pc, pt) = (control.rate(), treatment.rate());
    let pooled = (control.successes + treatment.successes) / (control.trials + treatment.trials);
    let var = pooled * (1.0 - pooled) * (1.0 / treatment.trials + 1.0 / control.trials);
    let difference = pt - pc;
    if var <= 0.0 {
        return Ok(ZTestResult {
            statistic: f64::NAN,
            p_value: f64::NAN,
            difference,
            warning: Some("pooled conversion rate is 0 % or 100 %: the z statistic is undefined".into()),
        });
    }
    let statistic = difference / var.sqrt();
    Ok(ZTestResult {
        statistic,
        p_value: p_value_symmetric(statistic, options.alternative, norm_sf),
        difference,
        warning: None,
    })
}
