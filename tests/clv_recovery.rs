//! Parameter recovery: customer bases simulated from BG/NBD + Gamma-Gamma with known parameters (seeded), fitted
//! back. The truth is the simulation's input, not anything the fitting code produced. Tolerances are a few
//! standard errors of the estimate at that size.

use segmetry::models::clv::simulate::{simulate, SimulationOptions};
use segmetry::models::clv::{bgnbd, gamma_gamma, BgNbdParams, GammaGammaParams, Grouped, SpendData};

const TRUE_BG: BgNbdParams = BgNbdParams { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const TRUE_GG: GammaGammaParams = GammaGammaParams { p: 6.25, q: 3.74, gamma: 15.44 };

fn check(n: usize, seed: u64, resolution: f64) {
    let options = SimulationOptions { customers: n, min_age: 26.0, max_age: 78.0, resolution, seed };
    let base = simulate(&TRUE_BG, &TRUE_GG, &options);
    let fit = bgnbd::fit(&Grouped::new(&base.x, &base.t_x, &base.t)).unwrap();
    assert!(fit.converged, "n = {n}");
    let p = fit.params;
    let se = fit.standard_errors.map(Option::unwrap);
    for (i, (got, want)) in
        [(p.r, TRUE_BG.r), (p.alpha, TRUE_BG.alpha), (p.a, TRUE_BG.a), (p.b, TRUE_BG.b)].into_iter().enumerate()
    {
        // 4 standard errors: a false alarm about once in 15,000 checks.
        assert!((got - want).abs() < 4.0 * se[i], "n = {n}, BG/NBD parameter {i}: {got} vs {want} (SE {})", se[i]);
    }
    let spend = gamma_gamma::fit(&SpendData::new(&base.x, &base.monetary)).unwrap();
    let s = spend.params;
    let se = spend.standard_errors.map(Option::unwrap);
    for (i, (got, want)) in [(s.p, TRUE_GG.p), (s.q, TRUE_GG.q), (s.gamma, TRUE_GG.gamma)].into_iter().enumerate() {
        assert!((got - want).abs() < 4.0 * se[i], "n = {n}, Gamma-Gamma parameter {i}: {got} vs {want} (SE {})", se[i]);
    }
}

#[test]
fn recovers_parameters_10k_continuous_time() {
    check(10_000, 1, 0.0);
}

#[test]
fn recovers_parameters_100k_continuous_time() {
    check(100_000, 2, 0.0);
}
