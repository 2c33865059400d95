//! The interval for the risk ratio `p_t/p_c` of `compare`: MOVER-R (Donner & Zou 2012) with Jeffreys limits for
//! each rate — "MOVER-J" in Laud (2017).
//!
//! MOVER ("method of variance estimates recovery") builds the ratio's limits from one-proportion limits
//! `(l, u)` of each arm: the lower limit is the smaller root θ of
//! `(p̂_t − θ·p̂_c)² = (p̂_t − l_t)² + θ²(u_c − p̂_c)²`, the upper the larger root of
//! `(p̂_t − θ·p̂_c)² = (u_t − p̂_t)² + θ²(p̂_c − l_c)²`. The one-proportion limits are Jeffreys' equal-tailed
//! Beta(x + ½, n − x + ½) quantiles, with the lower limit 0 at x = 0 and the upper 1 at x = n (Brown, Cai &
//! DasGupta 2001), so the ratio's lower limit is ≥ 0 (a lift never below −100 %) and 0 only when the treatment
//! has no conversion; the upper limit is finite whenever the control has a conversion.
//!
//! Why not the score (Koopman) interval, whose bound at R = 1 is the pooled z test? With ~5 expected control
//! conversions it over-covers by itself (exact coverage 0.9595 at 10 % × 50 and 0.9583 at 0.5 % × 1000 on the
//! calibration grid, outside 0.95 ± 0.0044), and MOVER-J is within that band in every cell of the grid that is
//! not flagged unreliable (docs/statistics.md, "Calibration"). Its verdict at R = 1 is not the pooled test's,
//! so `compare_proportions` sets the bound nearest 1 by the p-value where they disagree.
//!
//! Reference: statsmodels' own MOVER (`statsmodels.stats._inference_tools._mover_confint`, contrast "ratio")
//! fed with scipy's Beta quantiles (`scripts/gen_stats_fixtures.py`, `mover_ratio_ref`).

use super::dist::{beta_isf, beta_ppf};
use super::score::Pair;

/// `(lower, upper)` of the ratio `p_t/p_c` with each bound at one-sided level `tail` (α/2 two-sided); needs
/// `x_c > 0`.
pub(crate) fn ratio_interval(pair: &Pair, tail: f64) -> (f64, f64) {
    let (pc, pt) = (pair.xc / pair.nc, pair.xt / pair.nt);
    let (lc, uc) = jeffreys(pair.xc, pair.nc, tail);
    let (lt, ut) = jeffreys(pair.xt, pair.nt, tail);
    let b = pt * pc;
    // The quadratics are `a·θ² − 2b·θ + c = 0`; their discriminants `b² − a·c` are written as sums of the
    // squared distances to the limits, so that nothing cancels when the arms are huge (b² ≈ a·c there).
    let lower = if pair.xt == 0.0 {
        0.0
    } else {
        let (dt, dc) = (pt - lt, uc - pc);
        let disc = (pc * dt).powi(2) + (pt * dc).powi(2) - (dt * dc).powi(2);
        // the smaller root as c/(b + √disc): valid for a leading coefficient u_c(2p̂_c − u_c) of either sign or 0
        lt * (2.0 * pt - lt) / (b + disc.max(0.0).sqrt())
    };
    let (dt, dc) = (ut - pt, pc - lc);
    let disc = (pc * dt).powi(2) + (pt * dc).powi(2) - (dt * dc).powi(2);
    let upper = (b + disc.max(0.0).sqrt()) / (lc * (2.0 * pc - lc));
    (lower, upper)
}

/// Jeffreys' limits for `x` of `n` at one-sided level `tail`: Beta(x + ½, n − x + ½) quantiles, 0 at x = 0 and 1
/// at x = n.
fn jeffreys(x: f64, n: f64, tail: f64) -> (f64, f64) {
    let (a, b) = (x + 0.5, n - x + 0.5);
    let lower = if x == 0.0 { 0.0 } else { beta_ppf(a, b, tail) };
    let upper = if x == n { 1.0 } else { beta_isf(a, b, tail) };
    (lower, upper)
}
