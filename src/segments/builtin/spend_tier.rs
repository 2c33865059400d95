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
use crate::error::Result;
use crate::ingest::Dataset;
use crate::messages::{nested, Message};
use crate::models::clv::tiers::{self, TierOptions};
use crate::models::clv::{clv, ClvOptions};

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
pub const SPEND_TIERS: [&str; 5] = tiers::TIERS;

/// Assign every customer to one predicted-spend tier; see the [module docs](self).
pub fn spend_tier(dataset: &Dataset, options: &SpendTierOptions) -> Result<Vec<BuiltinSegment>> {
    let tier_options = TierOptions {
        high_share: options.high_share,
        medium_share: options.medium_share,
        lost_below: options.lost_below,
    };
    tier_options.validate("")?;
    let result = clv(dataset, &options.clv)?;
    let column = |name: &str| result.columns.iter().find(|(n, _)| *n == name).map(|(_, v)| v);
    let p_alive = column("p_alive").expect("clv returns p_alive");
    let by_value = if result.params.p.is_some() { "clv" } else { "expected_purchases" };
    let value = column(by_value).expect("clv returns its columns");
    let [high, medium, low, lost, unscored] = tiers::assign(p_alive, value, &tier_options);
    let horizon = result.horizon_days.to_string();
    let what = nested(if by_value == "clv" { "by_clv" } else { "by_purchases" }, &[&horizon]);
    let pct = |v: f64| format!("{}%", (v * 100.0).round());
    let segments = [
        (high, Message::new("desc_tier_high", [pct(options.high_share), what.clone()])),
        (medium, Message::new("desc_tier_medium", [pct(options.medium_share), what.clone()])),
        (low, Message::new("desc_tier_low", [what])),
        (lost, Message::new("desc_tier_lost", [pct(options.lost_below)])),
        (unscored, Message::plain("desc_tier_unscored")),
    ];
    Ok(SPEND_TIERS
        .iter()
        .zip(segments)
        .filter(|(name, (members, _))| **name != "Unscored" || members.count() > 0)
        .map(|(name, (members, description))| BuiltinSegment {
            name: name.to_string(),
            description,
            sql: None,
            condition: None,
            members,
        })
        .collect())
}
