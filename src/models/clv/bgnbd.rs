//! BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while alive, a customer buys at a
//! Poisson rate λ ~ Gamma(r, α); after each purchase they drop out with probability p ~ Beta(a, b).
//!
//! Per customer with x repeat purchases, the last at t_x, observed for T (all in one time unit):
//!
//! L = B(a, b + x)/B(a, b) · Γ(r + x) αʳ / (Γ(r) (α + T)^(r+x))
//!   + [x > 0] · B(a + 1, b + x − 1)/B(a, b) · Γ(r + x) αʳ / (Γ(r) (α + t_x)^(r+x)),
//!
//! written as ln L = A₁ + A₂ + ln(e^A₃ + [x > 0] e^A₄) exactly as in the paper's appendix (and `lifetimes`). The fit
//! maximises Σ ln L over log-parameters with the analytic gradient; the x-only terms (ln Γ, ψ) are computed once per
//! distinct x, and identical (x, t_x, T) rows are merged with a weight, so day-resolution data cost little.

use statrs::function::gamma::{digamma, ln_gamma};

use super::super::hyp2f1::ln_hyp2f1;
use super::super::optimize::{coarse_to_fine, hessian, log_space_standard_errors, multi_start, BfgsOptions};
use super::summary::Grouped;

/// Distinct rows beyond which the optimiser searches on a sample first ([`Grouped::sample`]).
const SEARCH_SAMPLE: usize = 20_000;

/// BG/NBD parameters (α in the data's time unit).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BgNbdParams {
    /// Shape of the Gamma purchase-rate heterogeneity.
    pub r: f64,
    /// Scale (time) of the Gamma purchase-rate heterogeneity.
    pub alpha: f64,
    /// Beta drop-out heterogeneity, first shape.
    pub a: f64,
    /// Beta drop-out heterogeneity, second shape.
    pub b: f64,
}

/// A BG/NBD fit.
#[derive(Debug, Clone, PartialEq)]
pub struct BgNbdFit {
    /// Maximum-likelihood parameters.
    pub params: BgNbdParams,
    /// Standard errors of r, α, a, b (None where the information matrix is not positive definite).
    pub standard_errors: [Option<f64>; 4],
    /// Σ ln L at the parameters.
    pub log_likelihood: f64,
    /// Whether the optimiser met its gradient tolerance.
    pub converged: bool,
}

impl BgNbdParams {
    fn from_log(x: &[f64]) -> BgNbdParams {
        BgNbdParams { r: x[0].exp(), alpha: x[1].exp(), a: x[2].exp(), b: x[3].exp() }
    }

    /// Σ w ln L over grouped customers (no gradient).
    pub fn log_likelihood(&self, data: &Grouped) -> f64 {
        let mut g = [0.0; 4];
        let x = [self.r.ln(), self.alpha.ln(), self.a.ln(), self.b.ln()];
        -neg_ll(data, &x, &mut g) * data.total_weight
    }

    /// P(alive | x, t_x, T): 1 for x = 0, else 1 / (1 + a/(b + x − 1) · ((α + T)/(α + t_x))^(r+x)).
    pub fn p_alive(&self, x: f64, t_x: f64, t: f64) -> f64 {
        if x <= 0.0 {
            return 1.0;
        }
        let log_div = (self.r + x) * ((self.alpha + t) / (self.alpha + t_x)).ln() + (self.a / (self.b + x - 1.0)).ln();
        1.0 / (1.0 + log_div.exp())
    }

    /// E[X(T, T + h) | x, t_x, T]: expected repeat purchases in the next `h` time units (FHL 2005, eq. 10):
    ///
    /// (a + b + x − 1)/(a − 1) · [1 − ((α + T)/(α + T + h))^(r+x) ₂F₁(r + x, b + x; a + b + x − 1; h/(α + T + h))]
    /// / (1 + [x > 0] a/(b + x − 1) ((α + T)/(α + t_x))^(r+x)),
    ///
    /// that is P(alive) × [`Self::expected_if_alive`].
    pub fn conditional_expected(&self, h: f64, x: f64, t_x: f64, t: f64) -> f64 {
        self.p_alive(x, t_x, t) * self.expected_if_alive(h, x, t)
    }

    /// The numerator of [`Self::conditional_expected`]: expected purchases in the next `h` time units of a
    /// customer known to be active, (a + b + x − 1)/(a − 1) · [1 − ((α + T)/(α + T + h))^(r+x) ₂F₁(…)]. It depends
    /// on x and T but not on t_x, so customers sharing (x, T) share it (the predictions cache it).
    pub fn expected_if_alive(&self, h: f64, x: f64, t: f64) -> f64 {
        let BgNbdParams { r, alpha, a, b } = *self;
        if h <= 0.0 {
            return 0.0;
        }
        let z = h / (alpha + t + h);
        let (ln_f, sign) = ln_hyp2f1(r + x, b + x, a + b + x - 1.0, z);
        let ln_term = ln_f + (r + x) * (-z).ln_1p();
        // 1 − sign·e^ln_term, via expm1 so short horizons keep their digits.
        let second = if sign > 0.0 { -ln_term.exp_m1() } else { 1.0 + ln_term.exp() };
        (a + b + x - 1.0) / (a - 1.0) * second
    }

    /// E[X(t)] for a customer picked at random at their first purchase (FHL 2005, eq. 9):
    /// (a + b − 1)/(a − 1) · [1 − (α/(α + t))ʳ ₂F₁(r, b; a + b − 1; t/(α + t))].
    pub fn unconditional_expected(&self, t: f64) -> f64 {
        let BgNbdParams { r, alpha, a, b } = *self;
        let z = t / (alpha + t);
        let (ln_f, sign) = ln_hyp2f1(r, b, a + b - 1.0, z);
        let term = sign * (ln_f + r * (alpha / (alpha + t)).ln()).exp();
        (a + b - 1.0) / (a - 1.0) * (1.0 - term)
    }

    /// P(X(t) = n) for n = 0..=n_max (FHL 2005, eq. 8), all at once.
    pub fn p_purchases(&self, t: f64, n_max: usize) -> Vec<f64> {
        let BgNbdParams { r, alpha, a, b } = *self;
        let ln_beta = |p: f64, q: f64| ln_gamma(p) + ln_gamma(q) - ln_gamma(p + q);
        let ln_b_ab = ln_beta(a, b);
        let (ln_p0, ln_z) = ((alpha / (alpha + t)).ln(), (t / (alpha + t)).ln());
        let p0r = (r * ln_p0).exp();
        let mut out = Vec::with_capacity(n_max + 1);
        // partial = Σ_{j<n} Γ(r + j)/(Γ(r) j!) (t/(α + t))^j
        let mut partial = 0.0;
        let mut ln_nb = 0.0; // ln Γ(r + n)/(Γ(r) n!) z^n at n
        for n in 0..=n_max {
            let nf = n as f64;
            if n > 0 {
                ln_nb += ((r + nf - 1.0) / nf).ln() + ln_z;
            }
            let first = (ln_beta(a, b + nf) - ln_b_ab + ln_nb + r * ln_p0).exp();
            let second =
                if n > 0 { (ln_beta(a + 1.0, b + nf - 1.0) - ln_b_ab).exp() * (1.0 - p0r * partial) } else { 0.0 };
            out.push(first + second);
            partial += (ln_nb).exp();
        }
        out
    }
}

/// The mean negative log-likelihood at log-parameters `x` (r, α, a, b) and its gradient in `x`.
fn neg_ll(data: &Grouped, x: &[f64], grad: &mut [f64]) -> f64 {
    let BgNbdParams { r, alpha, a, b } = BgNbdParams::from_log(x);
    let (ln_alpha, ln_a) = (alpha.ln(), a.ln());
    let (lg_r, lg_b, lg_ab) = (ln_gamma(r), ln_gamma(b), ln_gamma(a + b));
    let (dg_r, dg_b, dg_ab) = (digamma(r), digamma(b), digamma(a + b));
    let mut ll = 0.0;
    let (mut g_r, mut g_alpha, mut g_a, mut g_b) = (0.0, 0.0, 0.0, 0.0);
    for (group, &xv) in data.distinct_x.iter().enumerate() {
        // Terms that depend on x only, weighted by the group's total weight.
        let w = data.x_weight[group];
        let a1 = ln_gamma(r + xv) - lg_r + r * ln_alpha;
        let a2 = lg_ab + ln_gamma(b + xv) - lg_b - ln_gamma(a + b + xv);
        ll += w * (a1 + a2);
        g_r += w * (digamma(r + xv) - dg_r + ln_alpha);
        g_alpha += w * r / alpha;
        g_a += w * (dg_ab - digamma(a + b + xv));
        g_b += w * (dg_ab + digamma(b + xv) - dg_b - digamma(a + b + xv));
    }
    for i in 0..data.len() {
        let (xv, tx, t, w) = (data.x[i], data.t_x[i], data.t[i], data.weight[i]);
        let (ln_at, rx) = ((alpha + t).ln(), r + xv);
        let a3 = -rx * ln_at;
        if xv > 0.0 {
            let ln_atx = (alpha + tx).ln();
            let a4 = ln_a - (b + xv - 1.0).ln() - rx * ln_atx;
            let (hi, lo) = if a3 > a4 { (a3, a4) } else { (a4, a3) };
            let e = (lo - hi).exp();
            ll += w * (hi + e.ln_1p());
            // Posterior weights of the two terms.
            let w4 = if a4 > a3 { 1.0 / (1.0 + e) } else { e / (1.0 + e) };
            let w3 = 1.0 - w4;
            g_r -= w * (w3 * ln_at + w4 * ln_atx);
            g_alpha -= w * rx * (w3 / (alpha + t) + w4 / (alpha + tx));
            g_a += w * w4 / a;
            g_b -= w * w4 / (b + xv - 1.0);
        } else {
            ll += w * a3;
            g_r -= w * ln_at;
            g_alpha -= w * rx / (alpha + t);
        }
    }
    let scale = -1.0 / data.total_weight;
    grad[0] = scale * g_r * r;
    grad[1] = scale * g_alpha * alpha;
    grad[2] = scale * g_a * a;
    grad[3] = scale * g_b * b;
    scale * ll
}

/// Fit BG/NBD by maximum likelihood: BFGS on log-parameters from several starts, standard errors from the
/// Hessian. `None` when no start reached a finite likelihood.
pub fn fit(data: &Grouped) -> Option<BgNbdFit> {
    let mean_t = data.t.iter().zip(&data.weight).map(|(t, w)| t * w).sum::<f64>() / data.total_weight;
    let ln_t = mean_t.max(1e-9).ln();
    // Starts: all ones on a unit time scale, the typical CDNOW-like shape, and lifetimes' default (e^0.1).
    let starts = [
        vec![0.0, ln_t, 0.0, 0.0],
        vec![(0.25f64).ln(), ln_t - 2.0, (0.8f64).ln(), (2.5f64).ln()],
        vec![0.1, ln_t + 0.1 - 1.0, 0.1, 0.1],
    ];
    let mut objective = |x: &[f64], g: &mut [f64]| neg_ll(data, x, g);
    let best = match data.sample(SEARCH_SAMPLE) {
        Some(sample) => {
            let mut coarse = |x: &[f64], g: &mut [f64]| neg_ll(&sample, x, g);
            coarse_to_fine(&mut objective, &mut coarse, &starts, &BfgsOptions::default())?
        }
        None => multi_start(&mut objective, &starts, &BfgsOptions::default())?,
    };
    let mut h = hessian(&mut objective, &best.x, 1e-5);
    for row in &mut h {
        for v in row.iter_mut() {
            *v *= data.total_weight;
        }
    }
    let se = log_space_standard_errors(&h, &best.x);
    Some(BgNbdFit {
        params: BgNbdParams::from_log(&best.x),
        standard_errors: [se[0], se[1], se[2], se[3]],
        log_likelihood: -best.value * data.total_weight,
        converged: best.converged,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_differences() {
        let data = Grouped::new(&[0.0, 1.0, 3.0, 2.0], &[0.0, 5.0, 20.0, 30.5], &[39.0, 30.0, 25.0, 38.0]);
        let x = [(-1.3f64), 1.2, -0.2, 0.9];
        let mut g = [0.0; 4];
        neg_ll(&data, &x, &mut g);
        for i in 0..4 {
            let (mut xp, mut xm) = (x, x);
            xp[i] += 1e-6;
            xm[i] -= 1e-6;
            let mut tmp = [0.0; 4];
            let d = (neg_ll(&data, &xp, &mut tmp) - neg_ll(&data, &xm, &mut tmp)) / 2e-6;
            assert!((d - g[i]).abs() < 1e-7, "component {i}: {d} vs {}", g[i]);
        }
    }

    #[test]
    fn probabilities_sum_to_one() {
        let p = BgNbdParams { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        let total: f64 = p.p_purchases(39.0, 400).iter().sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
    }
}
