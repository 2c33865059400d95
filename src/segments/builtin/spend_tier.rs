//! Predicted spend tiers: `Likely lost`, `High`, `Medium`, `Low` from the CLV models ([`crate::models::clv`]).
//!
//! The BG/NBD + Gamma-Gamma models are fitted on the dataset (options `clv`, as for `ds.clv`). Then, in order:
//!
//! 1. **Likely lost**: P(alive) below `lostBelow` (default 0.3): the model thinks they have probably stopped buying.
//! 2. Every other customer with a prediction is ranked by predicted value (CLV over the horizon; expected purchases
//!    when no spend column is available): **High** is the top `highShare` (default 20 %), **Medium** the next
//!    `mediumShare` (default 30 %), **Low** the rest. Cut points are values: customers tied with the last High
//!    customer are High too, so tiers can be slightly larger than their share.
//! 3. **Unscored**: rows without a prediction (missing or invalid inputs), returned only when not empty.
//!
//! The tiers are model outputs, not conditions on one row, so they have no SQL (`sql` is null).

use serde::Deserialize;

use super::BuiltinSegment;
use crate::error::{Error, Result};
use crate::ingest::Dataset;
use crate::models::clv::{clv, ClvOptions};
use crate::segments::Bitmap;

/// Options of [`spend_tier`]. camelCase; every field has a default.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SpendTierOptions {
    /// The model inputs and horizon, as for `ds.clv`.
    pub clv: ClvOptions,
    /// Share of scored, not-lost customers in High. Default 0.2.
    pub high_share: f64,
    /// Share in Medium. Default 0.3.
    pub medium_share: f64,
    /// P(alive) below this is Likely lost. Default 0.3.
    pub lost_below: f64,
}

impl Default for SpendTierOptions {
    fn default() -> Self {
        SpendTierOptions { clv: ClvOptions::default(), high_share: 0.2, medium_share: 0.3, lost_below: 0.3 }
    }
}

/// Names of the tiers, in the order [`spend_tier`] returns them (`Unscored` only when not empty).
pub const SPEND_TIERS: [&str; 5] = ["High", "Medium", "Low", "Likely lost", "Unscored"];

/// Assign every customer to one predicted-spend tier; see the [module docs](self).
pub fn spend_tier(dataset: &Dataset, options: &SpendTierOptions) -> Result<Vec<BuiltinSegment>> {
    let share_ok = |v: f64| v.is_finite() && (0.0..=1.0).contains(&v);
    if !share_ok(options.high_share)
        || !share_ok(options.medium_share)
        || options.high_share + options.medium_share > 1.0
    {
        return Err(Error::invalid_argument(
            "highShare",
            "highShare and mediumShare must be shares between 0 and 1 that add up to at most 1 (e.g. 0.2 and 0.3)",
        ));
    }
    if !share_ok(options.lost_below) {
        return Err(Error::invalid_argument("lostBelow", "must be a probability between 0 and 1 (e.g. 0.3)"));
    }
    let result = clv(dataset, &options.clv)?;
    let column = |name: &str| result.columns.iter().find(|(n, _)| *n == name).map(|(_, v)| v);
    let p_alive = column("p_alive").expect("clv returns p_alive");
    let by_value = if result.params.p.is_some() { "clv" } else { "expected_purchases" };
    let value = column(by_value).expect("clv returns its columns");
    let n = dataset.num_rows();
    let mut lost = Bitmap::zeros(n);
    let mut unscored = Bitmap::zeros(n);
    let mut ranked: Vec<(usize, f64)> = Vec::new();
    for row in 0..n {
        match (p_alive[row], value[row]) {
            (Some(p), _) if p < options.lost_below => lost.set(row),
            (Some(_), Some(v)) => ranked.push((row, v)),
            _ => unscored.set(row),
        }
    }
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    let cut = |share: f64| -> Option<f64> {
        let k = (share * ranked.len() as f64).round() as usize;
        (k > 0).then(|| ranked[k.min(ranked.len()) - 1].1)
    };
    let high_cut = cut(options.high_share);
    let medium_cut = cut(options.high_share + options.medium_share);
    let (mut high, mut medium, mut low) = (Bitmap::zeros(n), Bitmap::zeros(n), Bitmap::zeros(n));
    for &(row, v) in &ranked {
        if high_cut.is_some_and(|c| v >= c) {
            high.set(row);
        } else if medium_cut.is_some_and(|c| v >= c) {
            medium.set(row);
        } else {
            low.set(row);
        }
    }
    let what = if by_value == "clv" {
        format!("predicted lifetime value over {} days", result.horizon_days)
    } else {
        format!("expected purchases in the next {} days", result.horizon_days)
    };
    let pct = |v: f64| format!("{}%", (v * 100.0).round());
    let segments = [
        (high, format!("The top {} of likely-active customers by {what}.", pct(options.high_share))),
        (medium, format!("The next {} of likely-active customers by {what}.", pct(options.medium_share))),
        (low, format!("The remaining likely-active customers, lowest {what}.")),
        (
            lost,
            format!(
                "Customers the purchase model gives less than a {} chance of still buying (P(alive)).",
                pct(options.lost_below)
            ),
        ),
        (unscored, "Customers without a prediction because an input is missing or invalid.".to_string()),
    ];
    Ok(SPEND_TIERS
        .iter()
        .zip(segments)
        .filter(|(name, (members, _))| **name != "Unscored" || members.count() > 0)
        .map(|(name, (members, description))| BuiltinSegment {
            name: name.to_string(),
            description,
            sql: None,
            members,
        })
        .collect())
}
