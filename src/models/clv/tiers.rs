//! Predicted-spend tiers from per-customer predictions: `High`, `Medium`, `Low`, `Likely lost`, `Unscored`.
//!
//! 1. **Likely lost**: P(alive) below `lostBelow`: the model thinks they have probably stopped buying.
//! 2. Every other customer with a prediction is ranked by predicted value (CLV over the horizon; expected purchases
//!    when there is no spend model): **High** is the top `highShare`, **Medium** the next `mediumShare`, **Low**
//!    the rest. Cut points are values: customers tied with the last High customer are High too, so tiers can be
//!    slightly larger than their share.
//! 3. **Unscored**: rows without a prediction (missing or invalid inputs).
//!
//! The built-in segmentation `spendTier` returns the tiers as segments; `ds.clv` summarises them (sizes and
//! predicted value per tier) for the dashboard.

use crate::messages::{group_labels, nested, Labels};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::segments::Bitmap;

/// Names of the tiers, in the order [`assign`] returns them.
pub const TIERS: [&str; 5] = ["High", "Medium", "Low", "Likely lost", "Unscored"];

/// How customers are cut into tiers. camelCase; every field has a default.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct TierOptions {
    /// Share of scored, not-lost customers in High. Default 0.2.
    pub high_share: f64,
    /// Share in Medium. Default 0.3.
    pub medium_share: f64,
    /// P(alive) below this is Likely lost. Default 0.3.
    pub lost_below: f64,
}

impl Default for TierOptions {
    fn default() -> Self {
        TierOptions { high_share: 0.2, medium_share: 0.3, lost_below: 0.3 }
    }
}

impl TierOptions {
    /// Check the shares and the threshold; errors name the option (`prefix` + name, e.g. `tiers.highShare`).
    pub fn validate(&self, prefix: &str) -> Result<()> {
        let share_ok = |v: f64| v.is_finite() && (0.0..=1.0).contains(&v);
        if !share_ok(self.high_share) || !share_ok(self.medium_share) || self.high_share + self.medium_share > 1.0 {
            return Err(Error::invalid_argument(&format!("{prefix}highShare"), nested("clv_tier_shares", &[])));
        }
        if !share_ok(self.lost_below) {
            return Err(Error::invalid_argument(&format!("{prefix}lostBelow"), nested("clv_lost_below", &[])));
        }
        Ok(())
    }
}

/// The members of each tier in [`TIERS`] order, from per-row P(alive) and predicted value.
pub fn assign(p_alive: &[Option<f64>], value: &[Option<f64>], options: &TierOptions) -> [Bitmap; 5] {
    let n = p_alive.len();
    let mut tiers: [Bitmap; 5] = std::array::from_fn(|_| Bitmap::zeros(n));
    let mut ranked: Vec<(usize, f64)> = Vec::new();
    for row in 0..n {
        match (p_alive[row], value[row]) {
            (Some(p), _) if p < options.lost_below => tiers[3].set(row),
            (Some(_), Some(v)) => ranked.push((row, v)),
            _ => tiers[4].set(row),
        }
    }
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let cut = |share: f64| -> Option<f64> {
        let k = (share * ranked.len() as f64).round() as usize;
        (k > 0).then(|| ranked[k.min(ranked.len()) - 1].1)
    };
    let high_cut = cut(options.high_share);
    let medium_cut = cut(options.high_share + options.medium_share);
    for &(row, v) in &ranked {
        let tier = if high_cut.is_some_and(|c| v >= c) {
            0
        } else if medium_cut.is_some_and(|c| v >= c) {
            1
        } else {
            2
        };
        tiers[tier].set(row);
    }
    tiers
}

/// One tier's size and predicted value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TierSummary {
    /// Tier name (one of [`TIERS`]).
    pub name: &'static str,
    /// The tier's name in each language of the engine's catalogue.
    pub labels: Option<Labels>,
    /// Customers in the tier.
    pub customers: usize,
    /// Mean P(alive) of its customers (null when empty or unscored).
    pub mean_p_alive: Option<f64>,
    /// Σ expected purchases over the horizon (null when no member has one).
    pub expected_purchases: Option<f64>,
    /// Σ CLV over the horizon (null without a spend model or no member with one).
    pub clv: Option<f64>,
    /// Mean CLV per member with one.
    pub mean_clv: Option<f64>,
}

/// Summaries of `tiers` over the prediction columns (all one value per row). `Unscored` is listed only when it
/// has members.
pub fn summarise(
    tiers: &[Bitmap; 5],
    p_alive: &[Option<f64>],
    expected: &[Option<f64>],
    clv: &[Option<f64>],
) -> Vec<TierSummary> {
    let sum = |members: &Bitmap, column: &[Option<f64>]| -> (f64, usize) {
        members.iter_ones().filter_map(|row| column[row]).fold((0.0, 0), |(s, k), v| (s + v, k + 1))
    };
    TIERS
        .iter()
        .zip(tiers)
        .filter(|(name, members)| **name != "Unscored" || members.count() > 0)
        .map(|(&name, members)| {
            let (p, np) = sum(members, p_alive);
            let (e, ne) = sum(members, expected);
            let (c, nc) = sum(members, clv);
            TierSummary {
                name,
                labels: group_labels(name),
                customers: members.count(),
                mean_p_alive: (np > 0).then(|| p / np as f64),
                expected_purchases: (ne > 0).then_some(e),
                clv: (nc > 0).then_some(c),
                mean_clv: (nc > 0).then(|| c / nc as f64),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_by_value_with_lost_and_unscored() {
        let p = [Some(0.9), Some(0.1), Some(0.8), None, Some(0.7), Some(0.95)];
        let v = [Some(10.0), Some(99.0), Some(5.0), None, Some(1.0), Some(7.0)];
        let options = TierOptions { high_share: 0.25, medium_share: 0.5, lost_below: 0.3 };
        let tiers = assign(&p, &v, &options);
        let rows = |b: &Bitmap| b.iter_ones().collect::<Vec<_>>();
        assert_eq!(rows(&tiers[0]), vec![0]);
        assert_eq!(rows(&tiers[1]), vec![2, 5]);
        assert_eq!(rows(&tiers[2]), vec![4]);
        assert_eq!(rows(&tiers[3]), vec![1]);
        assert_eq!(rows(&tiers[4]), vec![3]);
        let s = summarise(&tiers, &p, &v, &v);
        assert_eq!(s.len(), 5);
        assert_eq!((s[1].customers, s[1].clv, s[1].mean_clv), (2, Some(12.0), Some(6.0)));
        assert!(TierOptions { high_share: 0.8, ..options }.validate("tiers.").is_err());
    }
}
