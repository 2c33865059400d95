//! Pearson chi-square tests: independence of a variants × outcomes table, and sample-ratio mismatch (SRM).
//!
//! **Independence** (reference: scipy `chi2_contingency(table, correction=yates)`): expected counts
//! `E_ij = R_i·C_j/N`; `X² = Σ (O_ij − E_ij)²/E_ij`, `df = (r−1)(c−1)`, `p = Q_χ²(X²; df)` (survival
//! function). With `yates` (default true, as scipy) and df = 1, each `O_ij` moves toward `E_ij` by
//! `min(½, |O_ij − E_ij|)`. A zero row or column sum makes an expected count 0: NaN + warning.
//!
//! **SRM** (reference: scipy `chisquare(observed, total·w/Σw)`): `X² = Σ (O_i − E_i)²/E_i`, `df = k − 1`,
//! `mismatch = p < threshold` (default 0.001). No units at all gives NaN + warning and `mismatch = false`.

use serde::{Deserialize, Serialize};

use super::dist::chi2_sf;
use super::{count, nonnegative};
use crate::error::{Error, Result};

/// Options of [`chi_square_independence`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ChiSquareOptions {
    /// Yates' continuity correction for 2×2 tables (df = 1). Default true, as scipy.
    pub yates: bool,
}

impl Default for ChiSquareOptions {
    fn default() -> Self {
        ChiSquareOptions { yates: true }
    }
}

/// Result of [`chi_square_independence`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChiSquareResult {
    /// X² statistic.
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: f64,
    /// p-value (upper tail).
    pub p_value: f64,
    /// Why the result is NaN, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// Chi-square test of independence; rows are variants, columns outcomes (e.g. `[converted, not]`).
pub fn chi_square_independence(table: &[Vec<f64>], options: &ChiSquareOptions) -> Result<ChiSquareResult> {
    let rows = table.len();
    let cols = table.first().map_or(0, Vec::len);
    if rows < 2 || cols < 2 {
        return Err(Error::invalid_argument("table", "needs at least 2 rows (variants) and 2 columns (outcomes)"));
    }
    for (i, row) in table.iter().enumerate() {
        if row.len() != cols {
            return Err(Error::invalid_argument("table", format!("row {i} has {} cells, row 0 has {cols}", row.len())));
        }
        for (j, &v) in row.iter().enumerate() {
            count(&format!("table[{i}][{j}]"), v)?;
        }
    }
    let df = ((rows - 1) * (cols - 1)) as f64;
    let row_sums: Vec<f64> = table.iter().map(|r| r.iter().sum()).collect();
    let col_sums: Vec<f64> = (0..cols).map(|j| table.iter().map(|r| r.get(j).copied().unwrap_or(0.0)).sum()).collect();
    let total: f64 = row_sums.iter().sum();
    if row_sums.iter().chain(col_sums.iter()).any(|&s| s == 0.0) {
        return Ok(ChiSquareResult {
            statistic: f64::NAN,
            df,
            p_value: f64::NAN,
            warning: Some("a row or column sums to 0, so an expected count is 0: the test is undefined".into()),
        });
    }
    let correct = options.yates && df == 1.0;
    let mut statistic = 0.0;
    for (row, rs) in table.iter().zip(&row_sums) {
        for (&o, cs) in row.iter().zip(&col_sums) {
            let e = rs * cs / total;
            let mut diff = (o - e).abs();
            if correct {
                diff -= diff.min(0.5);
            }
            statistic += diff * diff / e;
        }
    }
    Ok(ChiSquareResult { statistic, df, p_value: chi2_sf(statistic, df), warning: None })
}

/// Options of [`srm`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct SrmOptions {
    /// p-value below which a mismatch is flagged (default 0.001).
    pub threshold: f64,
}

impl Default for SrmOptions {
    fn default() -> Self {
        SrmOptions { threshold: 0.001 }
    }
}

/// Result of [`srm`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SrmResult {
    /// X² statistic.
    pub statistic: f64,
    /// Degrees of freedom (k − 1).
    pub df: f64,
    /// p-value (upper tail).
    pub p_value: f64,
    /// `p_value < threshold`.
    pub mismatch: bool,
    /// Why the result is NaN, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// Sample-ratio-mismatch check: chi-square goodness of fit of observed unit counts to expected weights.
pub fn srm(observed_counts: &[f64], expected_weights: &[f64], options: &SrmOptions) -> Result<SrmResult> {
    let k = observed_counts.len();
    if k < 2 {
        return Err(Error::invalid_argument("observedCounts", "needs at least 2 variants"));
    }
    if expected_weights.len() != k {
        return Err(Error::invalid_argument(
            "expectedWeights",
            format!("has {} entries, observedCounts has {k}", expected_weights.len()),
        ));
    }
    for (i, &o) in observed_counts.iter().enumerate() {
        count(&format!("observedCounts[{i}]"), o)?;
    }
    for (i, &w) in expected_weights.iter().enumerate() {
        nonnegative(&format!("expectedWeights[{i}]"), w)?;
        if w == 0.0 {
            return Err(Error::invalid_argument(&format!("expectedWeights[{i}]"), "weights must be > 0"));
        }
    }
    let threshold = options.threshold;
    if !(threshold.is_finite() && threshold > 0.0 && threshold < 1.0) {
        return Err(Error::invalid_argument(
            "threshold",
            format!("must lie strictly between 0 and 1, got {threshold}"),
        ));
    }
    let df = (k - 1) as f64;
    let total: f64 = observed_counts.iter().sum();
    if total == 0.0 {
        return Ok(SrmResult {
            statistic: f64::NAN,
            df,
            p_value: f64::NAN,
            mismatch: false,
            warning: Some("no units observed: the SRM test is undefined".into()),
        });
    }
    let wsum: f64 = expected_weights.iter().sum();
    let statistic: f64 = observed_counts
        .iter()
        .zip(expected_weights)
        .map(|(&o, &w)| {
            let e = total * w / wsum;
            (o - e) * (o - e) / e
        })
        .sum();
    let p_value = chi2_sf(statistic, df);
    Ok(SrmResult { statistic, df, p_value, mismatch: p_value < threshold, warning: None })
}
