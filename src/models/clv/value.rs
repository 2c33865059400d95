//! Customer lifetime value: expected purchases per period × expected order value, discounted per period.
//!
//! CLV = Σₖ E[M | x, m̄] · (E[X(tₖ)] − E[X(tₖ₋₁)]) / (1 + d)^(tₖ/P) over period ends tₖ = P, 2P, … up to the
//! horizon H (a last, shorter period when H is not a multiple of P), with E[X(t)] the BG/NBD conditional
//! expectation for the next t time units and d the discount rate per period of length P. With P = 30 days (or
//! 4.345 weeks) and H a whole number of months this is `lifetimes`' `customer_lifetime_value`.

use super::bgnbd::BgNbdParams;

/// How the horizon is cut into discounting periods (all in the data's time unit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Discounting {
    /// Total horizon.
    pub horizon: f64,
    /// Length of one discounting period.
    pub period: f64,
    /// Discount rate per period (0.01 = 1 %).
    pub rate: f64,
}

impl Discounting {
    /// The period ends tₖ and their discount factors 1/(1 + d)^(tₖ/P).
    pub fn schedule(&self) -> Vec<(f64, f64)> {
        let mut ends = Vec::new();
        let whole = (self.horizon / self.period + 1e-9).floor() as usize;
        for k in 1..=whole {
            ends.push(k as f64 * self.period);
        }
        if self.horizon - whole as f64 * self.period > 1e-9 * self.period {
            ends.push(self.horizon);
        }
        ends.into_iter().map(|t| (t, (1.0 + self.rate).powf(-t / self.period))).collect()
    }
}

/// Discounted CLV of one customer: `value` is the expected order value, `schedule` from [`Discounting::schedule`].
pub fn lifetime_value(model: &BgNbdParams, schedule: &[(f64, f64)], value: f64, x: f64, t_x: f64, t: f64) -> f64 {
    let mut previous = 0.0;
    let mut total = 0.0;
    for &(end, factor) in schedule {
        let cumulative = model.conditional_expected(end, x, t_x, t);
        total += value * (cumulative - previous) * factor;
        previous = cumulative;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_has_a_short_last_period() {
        let s = Discounting { horizon: 75.0, period: 30.0, rate: 0.1 }.schedule();
        let ends: Vec<f64> = s.iter().map(|p| p.0).collect();
        assert_eq!(ends, vec![30.0, 60.0, 75.0]);
        assert!((s[2].1 - 1.1f64.powf(-2.5)).abs() < 1e-15);
        assert_eq!(Discounting { horizon: 360.0, period: 30.0, rate: 0.0 }.schedule().len(), 12);
    }
}
