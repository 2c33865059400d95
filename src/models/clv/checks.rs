//! Model checks a marketer can read:
//!
//! - [`repeat_histogram`]: how many customers made 0, 1, …, 6, 7+ repeat purchases in the calibration period,
//!   observed and as the fitted BG/NBD expects (Σᵢ P(X(Tᵢ) = n), FHL 2005 figure 2). Close bars = good fit.
//! - [`holdout_comparison`]: for customers grouped by their calibration purchases, actual purchases in a later
//!   holdout period against the model's conditional expectation (FHL 2005 figure 4).
//! - [`spend_independence`]: Gamma-Gamma assumes order values do not depend on how often a customer buys; the
//!   Pearson correlation of frequency and mean order value among repeat buyers should be near zero.

use std::collections::HashMap;

use serde::Serialize;

use super::bgnbd::BgNbdParams;
use super::summary::Grouped;
use crate::prepare::key::FastBuild;

/// Correlations at or beyond this (in absolute value) make [`spend_independence`] warn.
pub const CORRELATION_WARNING: f64 = 0.3;

/// Observed and expected customers per number of repeat purchases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Histogram {
    /// Bucket labels: `"0"`, `"1"`, …, and the last one open-ended (`"7+"`).
    pub labels: Vec<String>,
    /// Customers observed in each bucket.
    pub observed: Vec<f64>,
    /// Customers the model expects in each bucket.
    pub expected: Vec<f64>,
}

fn bucket_labels(buckets: usize) -> Vec<String> {
    (0..buckets).map(|k| if k + 1 == buckets { format!("{k}+") } else { k.to_string() }).collect()
}

fn bucket_of(x: f64, buckets: usize) -> usize {
    (x.max(0.0).round() as usize).min(buckets - 1)
}

/// Observed vs expected repeat-purchase counts with `buckets` bars (the last open-ended), `buckets ≥ 2`.
pub fn repeat_histogram(model: &BgNbdParams, data: &Grouped, buckets: usize) -> Histogram {
    let mut observed = vec![0.0; buckets];
    // A fixed hasher: the sum's order (hence its last bits) is then the same in every run and wasm instance.
    let mut by_t: HashMap<u64, f64, FastBuild> = HashMap::default();
    for i in 0..data.len() {
        observed[bucket_of(data.x[i], buckets)] += data.weight[i];
        *by_t.entry(data.t[i].to_bits()).or_insert(0.0) += data.weight[i];
    }
    let mut expected = vec![0.0; buckets];
    for (t, w) in by_t {
        let p = model.p_purchases(f64::from_bits(t), buckets - 2);
        for (e, pk) in expected.iter_mut().zip(&p) {
            *e += w * pk;
        }
    }
    let listed: f64 = expected[..buckets - 1].iter().sum();
    expected[buckets - 1] = data.total_weight - listed;
    Histogram { labels: bucket_labels(buckets), observed, expected }
}

/// Holdout comparison per calibration-frequency bucket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HoldoutComparison {
    /// Bucket labels as in [`Histogram::labels`].
    pub labels: Vec<String>,
    /// Customers in each bucket.
    pub customers: Vec<f64>,
    /// Mean actual purchases in the holdout period.
    pub actual: Vec<f64>,
    /// Mean purchases the model expected in the holdout period.
    pub expected: Vec<f64>,
    /// Length of the holdout period (data time unit).
    pub duration: f64,
}

/// Compare actual holdout purchases with the conditional expectation over `duration`, per calibration frequency.
/// Rows are (x, t_x, T, holdout purchases).
pub fn holdout_comparison(
    model: &BgNbdParams,
    rows: impl Iterator<Item = (f64, f64, f64, f64)>,
    duration: f64,
    buckets: usize,
) -> HoldoutComparison {
    let (mut customers, mut actual, mut expected) = (vec![0.0; buckets], vec![0.0; buckets], vec![0.0; buckets]);
    for (x, t_x, t, holdout) in rows {
        let k = bucket_of(x, buckets);
        customers[k] += 1.0;
        actual[k] += holdout;
        expected[k] += model.conditional_expected(duration, x, t_x, t);
    }
    for k in 0..buckets {
        if customers[k] > 0.0 {
            actual[k] /= customers[k];
            expected[k] /= customers[k];
        }
    }
    HoldoutComparison { labels: bucket_labels(buckets), customers, actual, expected, duration }
}

/// The Gamma-Gamma independence check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpendIndependence {
    /// Pearson correlation of repeat purchases and mean order value among repeat buyers (None with < 3 buyers or
    /// no variation).
    pub correlation: Option<f64>,
    /// Repeat buyers used.
    pub customers: usize,
    /// A sentence for the user when |correlation| ≥ [`CORRELATION_WARNING`].
    pub warning: Option<String>,
}

/// Correlation of x and m̄ over the pairs with x > 0 and m̄ > 0, with a warning when it is strong.
pub fn spend_independence(pairs: impl Iterator<Item = (f64, f64)>) -> SpendIndependence {
    let pairs: Vec<(f64, f64)> = pairs.filter(|(x, m)| *x > 0.0 && *m > 0.0).collect();
    let n = pairs.len() as f64;
    let correlation = (pairs.len() >= 3).then(|| {
        let (mx, mm) = (pairs.iter().map(|p| p.0).sum::<f64>() / n, pairs.iter().map(|p| p.1).sum::<f64>() / n);
        let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
        for (x, m) in &pairs {
            sxy += (x - mx) * (m - mm);
            sxx += (x - mx) * (x - mx);
            syy += (m - mm) * (m - mm);
        }
        sxy / (sxx * syy).sqrt()
    });
    let correlation = correlation.filter(|c| c.is_finite());
    let warning = correlation.filter(|c| c.abs() >= CORRELATION_WARNING).map(|c| {
        format!(
            "Purchase frequency and average order value are correlated (r = {c:.2}); the Gamma-Gamma spend model \
             assumes they are independent, so expected order values and CLV may be biased. Check for a few \
             very large customers or mixed currencies, or treat the CLV figures as rough."
        )
    });
    SpendIndependence { correlation, customers: pairs.len(), warning }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlation_and_warning() {
        let c = spend_independence([(1.0, 10.0), (2.0, 20.0), (3.0, 30.5), (0.0, 99.0)].into_iter());
        assert_eq!(c.customers, 3);
        assert!(c.correlation.unwrap() > 0.99 && c.warning.is_some());
        let c = spend_independence([(1.0, 10.0), (2.0, 20.0)].into_iter());
        assert!(c.correlation.is_none() && c.warning.is_none());
    }

    #[test]
    fn histogram_totals() {
        let model = BgNbdParams { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        let data = Grouped::new(&[0.0, 1.0, 9.0], &[0.0, 3.0, 30.0], &[39.0, 39.0, 35.0]);
        let h = repeat_histogram(&model, &data, 8);
        assert_eq!(h.labels.last().unwrap(), "7+");
        assert_eq!(h.observed, vec![1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]);
        assert!((h.expected.iter().sum::<f64>() - 3.0).abs() < 1e-12);
    }
}
