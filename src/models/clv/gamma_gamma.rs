//! Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV: using iso-value curves"; Colombo & Jiang
//! 1999): a customer's order values are Gamma(p, ν) around their own mean p/ν, and ν ~ Gamma(q, γ) across
//! customers. For a customer with x > 0 repeat orders of mean value m̄ (FHL note "The Gamma-Gamma model of monetary
//! value", eq. 3, as in `lifetimes`):
//!
//! ln L = ln Γ(px + q) − ln Γ(px) − ln Γ(q) + q ln γ + (px − 1) ln m̄ + px ln x − (px + q) ln(x m̄ + γ)
//!
//! and the expected mean order value given (x, m̄) shrinks m̄ towards the population mean γp/(q − 1):
//! E[M | x, m̄] = (1 − w) γp/(q − 1) + w m̄ with w = px/(px + q − 1).

use statrs::function::gamma::{digamma, ln_gamma};

use super::super::optimize::{coarse_to_fine, hessian, log_space_standard_errors, multi_start, BfgsOptions};
use crate::prepare::key::FastBuild;

/// Customers beyond which the optimiser searches on a sample first ([`SpendData::sample`]).
const SEARCH_SAMPLE: usize = 20_000;

/// Gamma-Gamma parameters (γ in money units; `lifetimes` calls it v).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GammaGammaParams {
    /// Shape of each customer's order-value distribution.
    pub p: f64,
    /// Shape of the heterogeneity in ν across customers.
    pub q: f64,
    /// Scale of the heterogeneity in ν across customers.
    pub gamma: f64,
}

/// A Gamma-Gamma fit.
#[derive(Debug, Clone, PartialEq)]
pub struct GammaGammaFit {
    /// Maximum-likelihood parameters.
    pub params: GammaGammaParams,
    /// Standard errors of p, q, γ (None where the information matrix is not positive definite).
    pub standard_errors: [Option<f64>; 3],
    /// Σ ln L at the parameters.
    pub log_likelihood: f64,
    /// Whether the optimiser met its gradient tolerance.
    pub converged: bool,
    /// Customers the fit used (x > 0 and m̄ > 0).
    pub customers: usize,
}

/// Repeat buyers' (x, m̄), grouped by x for the ln Γ / ψ terms.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpendData {
    x: Vec<f64>,
    ln_x: Vec<f64>,
    ln_m: Vec<f64>,
    m: Vec<f64>,
    /// Index of each row's x in `distinct_x`.
    group: Vec<u32>,
    distinct_x: Vec<f64>,
    x_count: Vec<f64>,
}

impl SpendData {
    /// Keep the customers with x > 0 and m̄ > 0 (others carry no spend information).
    pub fn new(x: &[f64], m: &[f64]) -> SpendData {
        let mut d = SpendData::default();
        let mut index: std::collections::HashMap<u64, usize, FastBuild> = Default::default();
        for (&xi, &mi) in x.iter().zip(m) {
            if !(xi > 0.0 && mi > 0.0 && xi.is_finite() && mi.is_finite()) {
                continue;
            }
            let g = *index.entry(xi.to_bits()).or_insert_with(|| {
                d.distinct_x.push(xi);
                d.x_count.push(0.0);
                d.distinct_x.len() - 1
            });
            d.x_count[g] += 1.0;
            d.group.push(g as u32);
            d.x.push(xi);
            d.ln_x.push(xi.ln());
            d.m.push(mi);
            d.ln_m.push(mi.ln());
        }
        d
    }

    /// Every k-th customer, at most about `max_rows`, for the optimiser's cheap first search
    /// ([`crate::models::optimize::coarse_to_fine`]); `None` when there are no more customers than that.
    pub fn sample(&self, max_rows: usize) -> Option<SpendData> {
        if self.len() <= max_rows {
            return None;
        }
        let stride = self.len().div_ceil(max_rows.max(1));
        let x: Vec<f64> = self.x.iter().step_by(stride).copied().collect();
        let m: Vec<f64> = self.m.iter().step_by(stride).copied().collect();
        Some(SpendData::new(&x, &m))
    }

    /// Customers kept.
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Whether no customer was kept.
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// Mean negative log-likelihood at log-parameters (p, q, γ) and its gradient.
    fn neg_ll(&self, lx: &[f64], grad: &mut [f64]) -> f64 {
        let (p, q, v) = (lx[0].exp(), lx[1].exp(), lx[2].exp());
        let (ln_v, lg_q, dg_q) = (v.ln(), ln_gamma(q), digamma(q));
        // Per distinct x: ln Γ(px + q) − ln Γ(px) and ψ(px + q) − ψ(px).
        let per_x: Vec<(f64, f64, f64)> = self
            .distinct_x
            .iter()
            .map(|&x| {
                let px = p * x;
                (ln_gamma(px + q) - ln_gamma(px), digamma(px + q) - digamma(px), digamma(px + q))
            })
            .collect();
        let (mut ll, mut g_p, mut g_q, mut g_v) = (0.0, 0.0, 0.0, 0.0);
        for (g, &w) in self.x_count.iter().enumerate() {
            let (lg, dg_pq, dg_sum) = per_x[g];
            ll += w * (lg - lg_q + q * ln_v);
            g_p += w * self.distinct_x[g] * dg_pq;
            g_q += w * (dg_sum - dg_q + ln_v);
            g_v += w * q / v;
        }
        for i in 0..self.x.len() {
            let (x, ln_x, ln_m) = (self.x[i], self.ln_x[i], self.ln_m[i]);
            let (px, denom) = (p * x, x * self.m[i] + v);
            let ln_denom = denom.ln();
            ll += (px - 1.0) * ln_m + px * ln_x - (px + q) * ln_denom;
            g_p += x * (ln_m + ln_x - ln_denom);
            g_q -= ln_denom;
            g_v -= (px + q) / denom;
        }
        let scale = -1.0 / self.x.len() as f64;
        grad[0] = scale * g_p * p;
        grad[1] = scale * g_q * q;
        grad[2] = scale * g_v * v;
        scale * ll
    }
}

impl GammaGammaParams {
    /// Σ ln L over the customers in `data`.
    pub fn log_likelihood(&self, data: &SpendData) -> f64 {
        let mut g = [0.0; 3];
        -data.neg_ll(&[self.p.ln(), self.q.ln(), self.gamma.ln()], &mut g) * data.len() as f64
    }

    /// Population mean order value γp/(q − 1) (infinite when q ≤ 1).
    pub fn population_mean(&self) -> f64 {
        if self.q > 1.0 {
            self.gamma * self.p / (self.q - 1.0)
        } else {
            f64::INFINITY
        }
    }

    /// E[M | x, m̄]: expected mean order value of a customer with x repeat orders of mean m̄ (the population mean
    /// for x = 0).
    pub fn expected_average_value(&self, x: f64, m: f64) -> f64 {
        let w = self.p * x / (self.p * x + self.q - 1.0);
        if x <= 0.0 {
            return self.population_mean();
        }
        (1.0 - w) * self.population_mean() + w * m
    }
}

/// Fit Gamma-Gamma by maximum likelihood (log-parameters, BFGS from several starts). `None` without repeat buyers
/// or when no start reached a finite likelihood.
pub fn fit(data: &SpendData) -> Option<GammaGammaFit> {
    if data.is_empty() {
        return None;
    }
    let mean_m = data.m.iter().sum::<f64>() / data.len() as f64;
    let starts =
        [vec![0.0, 0.0, mean_m.ln()], vec![(6.0f64).ln(), (4.0f64).ln(), (mean_m / 2.0).ln()], vec![0.1, 0.1, 0.1]];
    let mut objective = |x: &[f64], g: &mut [f64]| data.neg_ll(x, g);
    let best = match data.sample(SEARCH_SAMPLE) {
        Some(sample) => {
            let mut coarse = |x: &[f64], g: &mut [f64]| sample.neg_ll(x, g);
            coarse_to_fine(&mut objective, &mut coarse, &starts, &BfgsOptions::default())?
        }
        None => multi_start(&mut objective, &starts, &BfgsOptions::default())?,
    };
    let n = data.len() as f64;
    let mut h = hessian(&mut objective, &best.x, 1e-5);
    h.iter_mut().flatten().for_each(|v| *v *= n);
    let se = log_space_standard_errors(&h, &best.x);
    Some(GammaGammaFit {
        params: GammaGammaParams { p: best.x[0].exp(), q: best.x[1].exp(), gamma: best.x[2].exp() },
        standard_errors: [se[0], se[1], se[2]],
        log_likelihood: -best.value * n,
        converged: best.converged,
        customers: data.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_differences() {
        let data = SpendData::new(&[1.0, 2.0, 5.0, 2.0, 0.0], &[10.0, 35.5, 20.0, 12.0, 50.0]);
        assert_eq!(data.len(), 4);
        let x = [1.5, 1.1, 2.3];
        let mut g = [0.0; 3];
        data.neg_ll(&x, &mut g);
        for i in 0..3 {
            let (mut xp, mut xm) = (x, x);
            xp[i] += 1e-6;
            xm[i] -= 1e-6;
            let mut t = [0.0; 3];
            let d = (data.neg_ll(&xp, &mut t) - data.neg_ll(&xm, &mut t)) / 2e-6;
            assert!((d - g[i]).abs() < 1e-7, "component {i}: {d} vs {}", g[i]);
        }
    }
}
