//! Seeded customer bases drawn from BG/NBD + Gamma-Gamma with known parameters, for parameter-recovery tests and
//! benchmarks. Each customer: λ ~ Gamma(r, α) (rate α), p ~ Beta(a, b); purchases follow a Poisson process at
//! rate λ over their age T, and after each repeat purchase they drop out with probability p. Order values are
//! Gamma(p_s, ν) with ν ~ Gamma(q, γ) (rates).

use super::bgnbd::BgNbdParams;
use super::gamma_gamma::GammaGammaParams;
use crate::segments::builtin::clusters::Rng;

/// One simulated customer base (column per quantity).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SimulatedBase {
    /// Repeat purchases.
    pub x: Vec<f64>,
    /// Time of the last purchase after the first.
    pub t_x: Vec<f64>,
    /// Age (time since the first purchase).
    pub t: Vec<f64>,
    /// Mean repeat-order value (0 when x = 0).
    pub monetary: Vec<f64>,
}

/// Settings of [`simulate`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimulationOptions {
    /// Customers to draw.
    pub customers: usize,
    /// Ages are spread uniformly over [`min_age`, `max_age`] (cohorts joining over time).
    pub min_age: f64,
    /// See `min_age`.
    pub max_age: f64,
    /// Round t_x and T down to multiples of this (1.0 = whole days), or 0 to keep continuous times.
    pub resolution: f64,
    /// PRNG seed.
    pub seed: u64,
}

/// Draw a customer base from the models.
pub fn simulate(purchases: &BgNbdParams, spend: &GammaGammaParams, options: &SimulationOptions) -> SimulatedBase {
    let mut rng = Rng::new(options.seed, 0);
    let n = options.customers;
    let mut base = SimulatedBase {
        x: Vec::with_capacity(n),
        t_x: Vec::with_capacity(n),
        t: Vec::with_capacity(n),
        monetary: Vec::with_capacity(n),
    };
    let round =
        |v: f64| if options.resolution > 0.0 { (v / options.resolution).floor() * options.resolution } else { v };
    for _ in 0..n {
        let age = options.min_age + (options.max_age - options.min_age) * rng.next_f64();
        let lambda = gamma(&mut rng, purchases.r) / purchases.alpha;
        let g1 = gamma(&mut rng, purchases.a);
        let p_drop = g1 / (g1 + gamma(&mut rng, purchases.b));
        let nu = gamma(&mut rng, spend.q) / spend.gamma;
        let (mut now, mut x, mut last, mut spent) = (0.0, 0.0, 0.0, 0.0);
        loop {
            now += -(1.0 - rng.next_f64()).ln() / lambda;
            if now > age {
                break;
            }
            x += 1.0;
            last = now;
            spent += gamma(&mut rng, spend.p) / nu;
            if rng.next_f64() < p_drop {
                break;
            }
        }
        let (t_r, tx_r) = (round(age), round(last));
        // Rounding can put a purchase at the same whole unit as the first one; keep it a repeat purchase then.
        base.x.push(x);
        base.t_x.push(if x > 0.0 { tx_r.min(t_r) } else { 0.0 });
        base.t.push(t_r);
        base.monetary.push(if x > 0.0 { spent / x } else { 0.0 });
    }
    base
}

/// Gamma(shape, 1) by Marsaglia & Tsang (2000), with the U^(1/shape) boost for shape < 1.
fn gamma(rng: &mut Rng, shape: f64) -> f64 {
    if shape < 1.0 {
        let u = 1.0 - rng.next_f64();
        return gamma(rng, shape + 1.0) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let z = normal(rng);
        let v = (1.0 + c * z).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u = 1.0 - rng.next_f64();
        if u.ln() < 0.5 * z * z + d - d * v + d * v.ln() {
            return d * v;
        }
    }
}

/// Standard normal by Box–Muller (one of the pair; simplicity over speed).
fn normal(rng: &mut Rng) -> f64 {
    let u1 = 1.0 - rng.next_f64();
    let u2 = rng.next_f64();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gamma_moments() {
        let mut rng = Rng::new(7, 1);
        for shape in [0.3, 1.0, 4.5] {
            let n = 200_000;
            let draws: Vec<f64> = (0..n).map(|_| gamma(&mut rng, shape)).collect();
            let mean = draws.iter().sum::<f64>() / n as f64;
            let var = draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / n as f64;
            assert!((mean / shape - 1.0).abs() < 0.02, "shape {shape}: mean {mean}");
            assert!((var / shape - 1.0).abs() < 0.04, "shape {shape}: var {var}");
        }
    }
}
