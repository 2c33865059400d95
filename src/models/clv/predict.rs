//! Per-customer predictions at fitted BG/NBD parameters, fast enough for a million customers.
//!
//! The expensive part of a prediction — the ₂F₁ series of [`BgNbdParams::expected_if_alive`], once for the horizon
//! and once per discounting period for the CLV — depends on the customer's (x, T) but not on t_x: the
//! conditional expectation is P(alive | x, t_x, T) × E[X | active, x, T]. Order exports measure time in whole days,
//! so a million customers share a few thousand (x, T) pairs; [`Predictor`] computes each pair's series once and
//! then costs one `exp` per customer.

use std::collections::HashMap;

use super::bgnbd::BgNbdParams;
use super::value::Discounting;
use crate::prepare::key::FastBuild;

/// One customer's predictions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    /// P(alive | x, t_x, T).
    pub p_alive: f64,
    /// Expected repeat purchases over the horizon.
    pub expected_purchases: f64,
    /// Σₖ (E[X(tₖ)] − E[X(tₖ₋₁)]) / (1 + d)^(tₖ/P): expected purchases per period, discounted. The CLV is this
    /// times the expected order value.
    pub discounted_purchases: f64,
}

/// Predictions at one set of parameters and one horizon, caching the per-(x, T) series.
#[derive(Debug, Clone)]
pub struct Predictor {
    model: BgNbdParams,
    horizon: f64,
    schedule: Vec<(f64, f64)>,
    /// (x, T) bits → (E[X(horizon) | active], discounted E[X | active] over the schedule).
    cache: HashMap<[u64; 2], (f64, f64), FastBuild>,
}

impl Predictor {
    /// A predictor for `model` over `discounting.horizon` with its discounting schedule.
    pub fn new(model: &BgNbdParams, discounting: &Discounting) -> Predictor {
        Predictor {
            model: *model,
            horizon: discounting.horizon,
            schedule: discounting.schedule(),
            cache: HashMap::default(),
        }
    }

    /// The predictions for a customer with x repeat purchases, the last at t_x, observed for T.
    pub fn predict(&mut self, x: f64, t_x: f64, t: f64) -> Prediction {
        let (model, horizon, schedule) = (&self.model, self.horizon, &self.schedule);
        // +0.0 so that −0.0 and 0.0 share an entry.
        let (if_alive, discounted) = *self
            .cache
            .entry([(x + 0.0).to_bits(), (t + 0.0).to_bits()])
            .or_insert_with(|| (model.expected_if_alive(horizon, x, t), discounted_if_alive(model, schedule, x, t)));
        let p_alive = model.p_alive(x, t_x, t);
        Prediction { p_alive, expected_purchases: p_alive * if_alive, discounted_purchases: p_alive * discounted }
    }
}

/// Σₖ (E[X(tₖ) | active] − E[X(tₖ₋₁) | active]) · factorₖ over a [`Discounting::schedule`].
pub fn discounted_if_alive(model: &BgNbdParams, schedule: &[(f64, f64)], x: f64, t: f64) -> f64 {
    let (mut previous, mut total) = (0.0, 0.0);
    for &(end, factor) in schedule {
        let cumulative = model.expected_if_alive(end, x, t);
        total += (cumulative - previous) * factor;
        previous = cumulative;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::clv::lifetime_value;

    #[test]
    fn cached_predictions_equal_the_direct_formulas() {
        let model = BgNbdParams { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        let discounting = Discounting { horizon: 52.0, period: 4.345, rate: 0.01 };
        let schedule = discounting.schedule();
        let mut predictor = Predictor::new(&model, &discounting);
        for (x, t_x, t) in [(0.0, 0.0, 38.0), (2.0, 30.4, 38.0), (2.0, 10.0, 38.0), (14.0, 37.9, 38.0)] {
            let p = predictor.predict(x, t_x, t);
            assert_eq!(p.p_alive, model.p_alive(x, t_x, t));
            let direct = model.conditional_expected(52.0, x, t_x, t);
            assert!((p.expected_purchases / direct - 1.0).abs() < 1e-14, "{x} {t_x} {t}");
            let clv = lifetime_value(&model, &schedule, 10.0, x, t_x, t);
            assert!((10.0 * p.discounted_purchases / clv - 1.0).abs() < 1e-12, "{x} {t_x} {t}");
        }
        assert_eq!(predictor.cache.len(), 3);
    }
}
