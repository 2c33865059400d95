//! GrowthBook's asymptotic confidence sequences (Waudby-Smith et al. 2023, eq. 9/155/161), two- and one-sided,
//! as a multiplier `q` on the standard error and the matching always-valid p-value.
//!
//! With `N = n_c + n_t`, `Var` the variance of the absolute difference `Δ` and `tuning` GrowthBook's
//! `sequentialTuningParameter`:
//! * two-sided (gbstats `SequentialTwoSidedTTest`): `ρ = √((−2 ln α + ln(−2 ln α + 1))/tuning)`,
//!   `q = √(N·2(Nρ²+1)·ln(√(Nρ²+1)/α)/(Nρ)²)`, `p = min(1, √(Nρ²+1)·e^(−L))`;
//! * one-sided (GrowthBook's `SequentialOneSidedTreatmentGreater/LesserTTest`): ρ with `2α` in place of α,
//!   `q = √(N·2(Nρ²+1)·ln(1 + √(Nρ²+1)/(2α))/(Nρ)²)`, and `p` is the α at which the one-sided bound touches 0
//!   (GrowthBook finds it by bisection; solved here in closed form): `p = min(1, √(Nρ²+1)/(2(e^L − 1)))` when
//!   the estimate points in the alternative's direction, 1 otherwise;
//!
//! where `L = Δ²·Nρ²/(2·Var·(Nρ²+1))`.

use super::Alternative;

/// `(p-value, q)` of the confidence sequence for a difference `diff` with variance `variance` after `n` units.
pub(super) fn test(diff: f64, variance: f64, n: f64, alpha: f64, tuning: f64, alternative: Alternative) -> (f64, f64) {
    let two_sided = alternative == Alternative::TwoSided;
    let a = if two_sided { alpha } else { 2.0 * alpha };
    let rho2 = (-2.0 * a.ln() + (-2.0 * a.ln() + 1.0).ln()) / tuning;
    let nr2 = n * rho2 + 1.0;
    let scale = 2.0 * nr2 / (n * rho2);
    let l = diff * diff * n * rho2 / (2.0 * variance * nr2);
    if two_sided {
        let q = (scale * (nr2.sqrt() / alpha).ln()).sqrt();
        let p = (0.5 * nr2.ln() - l).exp().min(1.0);
        return (p, q);
    }
    let q = (scale * (nr2.sqrt() / (2.0 * alpha)).ln_1p()).sqrt();
    let toward = if alternative == Alternative::Greater { diff } else { -diff };
    let p = if toward > 0.0 { (nr2.sqrt() / (2.0 * l.exp_m1())).min(1.0) } else { 1.0 };
    (p, q)
}
