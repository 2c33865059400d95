//! Score (constrained maximum-likelihood) statistics for two proportions: the pooled z test of "no difference" and
//! the inversion of the score statistic for the difference `p_t − p_c` (Mee 1984), i.e. Miettinen and Nurminen's
//! (1985) interval without their `N/(N−1)` variance factor.
//!
//! For a hypothesised difference δ the statistic is `(p̂_t − p̂_c − δ)/√(p̃_t q̃_t/n_t + p̃_c q̃_c/n_c)`, with `p̃`
//! the maximum-likelihood proportions under the hypothesis (Farrington–Manning's cubic). At δ = 0 it is the
//! pooled z statistic, so the interval `{δ : |Z(δ)| ≤ q}` excludes 0 exactly when the pooled test with critical
//! value `q` rejects. (The risk ratio's interval is MOVER-J, `super::mover`.)
//! Reference: an mpmath inversion that maximises the constrained likelihood directly (bisection on its
//! derivative), cross-checked against a scipy maximisation.

use super::Proportion;

/// Counts of one comparison: control `(x_c, n_c)`, treatment `(x_t, n_t)`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pair {
    pub xc: f64,
    pub nc: f64,
    pub xt: f64,
    pub nt: f64,
}

impl Pair {
    pub(crate) fn new(c: &Proportion, t: &Proportion) -> Self {
        Pair { xc: c.successes, nc: c.trials, xt: t.successes, nt: t.trials }
    }

    /// The pooled z statistic `(p̂_t − p̂_c)/√(p̄q̄(1/n_t + 1/n_c))`, written as `(e − x_c)/σ` with `e = K·n_c/N`
    /// and `σ² = p̄q̄·n_c·n_t/N` (the form the exact test enumerates); NaN when p̄ is 0 or 1.
    pub(crate) fn pooled_z(&self) -> f64 {
        pooled_z(self.xc, self.xc + self.xt, self.nc, self.nt)
    }

    /// Score statistic of the difference δ = p_t − p_c.
    fn z_diff(&self, delta: f64) -> f64 {
        let (pc_hat, pt_hat) = (self.xc / self.nc, self.xt / self.nt);
        let (p0, p1) = if delta == 0.0 {
            let pooled = (self.xc + self.xt) / (self.nc + self.nt);
            (pooled, pooled)
        } else {
            // Farrington–Manning's closed form of the constrained MLE (the middle root of a cubic in p̃_t).
            // (statsmodels 0.14.4's `score_test_proportions_2indep(compare='diff')` solves a different cubic and
            // misses the MLE away from δ = 0; the fixtures check this form against a direct maximisation.)
            let theta = self.nc / self.nt;
            let a = 1.0 + theta;
            let b = -(1.0 + theta + pt_hat + theta * pc_hat + delta * (theta + 2.0));
            let c = delta * delta + delta * (2.0 * pt_hat + theta + 1.0) + pt_hat + theta * pc_hat;
            let d = -pt_hat * delta * (1.0 + delta);
            let v = (b / (3.0 * a)).powi(3) - b * c / (6.0 * a * a) + d / (2.0 * a);
            let u = v.signum() * ((b / (3.0 * a)).powi(2) - c / (3.0 * a)).max(0.0).sqrt();
            // u = 0: a triple root at −b/3a
            let cos_arg = if u == 0.0 || v == 0.0 { 0.0 } else { (v / u.powi(3)).clamp(-1.0, 1.0) };
            let w = (std::f64::consts::PI + cos_arg.acos()) / 3.0;
            let p1 = (2.0 * u * w.cos() - b / (3.0 * a)).clamp(0.0, 1.0);
            let p0 = self.polish_diff_mle((p1 - delta).clamp(0.0, 1.0), delta);
            (p0, (p0 + delta).clamp(0.0, 1.0))
        };
        let var = p1 * (1.0 - p1) / self.nt + p0 * (1.0 - p0) / self.nc;
        (pt_hat - pc_hat - delta) / var.sqrt()
    }

    /// Newton steps on the constrained likelihood's derivative in p̃_c (p̃_t = p̃_c + δ) from the closed form,
    /// which loses digits to cancellation when the rates are tiny (10⁻⁶ at 10⁹ trials); an interior maximum only.
    fn polish_diff_mle(&self, mut p: f64, delta: f64) -> f64 {
        let (xc, yc, xt, yt) = (self.xc, self.nc - self.xc, self.xt, self.nt - self.xt);
        for _ in 0..4 {
            let (a, b, c, d) = (p, 1.0 - p, p + delta, 1.0 - p - delta);
            if !(a > 0.0 && b > 0.0 && c > 0.0 && d > 0.0) {
                return p;
            }
            let score = xc / a - yc / b + xt / c - yt / d;
            let slope = -(xc / (a * a) + yc / (b * b) + xt / (c * c) + yt / (d * d));
            let next = p - score / slope;
            if !(next > (-delta).max(0.0) && next < (1.0 - delta).min(1.0)) || slope == 0.0 {
                return p;
            }
            p = next;
        }
        p
    }

    /// `(lower, upper)` of `{δ : |Z(δ)| ≤ q}` within [−1, 1] (two-sided; a one-sided bound uses its own `q`).
    pub(crate) fn diff_interval(&self, q: f64) -> (f64, f64) {
        let est = self.xt / self.nt - self.xc / self.nc;
        let lower = root(|d| self.z_diff(d) - q, -1.0, est);
        let upper = root(|d| self.z_diff(d) + q, est, 1.0);
        (lower, upper)
    }
}

/// The pooled z statistic of a table with `xc` control conversions and `k` conversions in all.
pub(crate) fn pooled_z(xc: f64, k: f64, nc: f64, nt: f64) -> f64 {
    let n = nc + nt;
    let pooled = k / n;
    let sigma = (pooled * (1.0 - pooled) * nc * nt / n).sqrt();
    (k * nc / n - xc) / sigma
}

/// The root of a decreasing `f` in `[lo, hi]` by bisection (`f(hi) ≤ 0` assumed; `lo` when `f(lo) ≤ 0`, `hi`
/// when `f(hi) > 0`): the boundary of `{x : f(x) ≤ 0}`, as the score statistic is monotone in δ.
fn root(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    if !(f(lo) > 0.0) {
        return lo;
    }
    if f(hi) > 0.0 {
        return hi;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if f(mid) > 0.0 {
            lo = mid
        } else {
            hi = mid
        }
    }
    0.5 * (lo + hi)
}
