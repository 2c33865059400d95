//! Barnard's exact unconditional test of two proportions with the pooled z statistic (Suissa & Shuster 1985):
//! `p = sup_π P_π(T ≥ t_obs)`, the probability, maximised over the common conversion rate π, that two independent
//! binomials `Bin(n_c, π)`, `Bin(n_t, π)` give a table whose pooled z (oriented toward the alternative: `|z|`,
//! `z` or `−z`) is at least the observed one. It is valid at every π (size ≤ α) and, unlike the normal test,
//! does not exceed α on the coarse binomial lattice of small arms.
//!
//! Computation. Grouped by the total K = x_c + x_t, `P_π = Σ_K h_K·Bin(K; N, π)` where `h_K` is the conditional
//! (hypergeometric) probability of the rejection region given K. For fixed K the pooled z is `(e_K − x_c)/σ_K`,
//! linear in x_c, so the region is one or two hypergeometric tails, summed outward from their boundary with the
//! pmf's ratio recurrence. `P_π` is smooth on the scale of the binomial's spread, which is uniform in
//! θ = asin √π (width ~1/(2√N)): a grid of `8√N + 16` points in θ, then golden-section search around every grid
//! maximum within 80 % of the best, finds the supremum. Tables whose pooled z is undefined (K = 0 or N) count as
//! z = 0. Ties are resolved with a relative tolerance of 10⁻⁹ on z, so tables with mathematically equal z (e.g.
//! mirror images) are always in the region together.
//!
//! Reference: a brute-force enumeration of all `(n_c+1)(n_t+1)` tables with a dense π grid (numpy/scipy in
//! `scripts/gen_stats_fixtures.py`), cross-checked against scipy's `barnard_exact(pooled=True)`.

use super::dist::{ln_dbinom_raw, ln_dhyper};
use super::score::pooled_z;
use super::Alternative;

/// Largest `n_c + n_t` for which `compare` tests proportions with this exact test (cost O(N^1.5)).
pub const EXACT_MAX_TRIALS: f64 = 1000.0;

/// Barnard's exact p-value for control `(xc, nc)` and treatment `(xt, nt)` (whole-number counts, n ≥ 1).
pub(crate) fn barnard_p(xc: f64, nc: f64, xt: f64, nt: f64, alternative: Alternative) -> f64 {
    let n = nc + nt;
    let z0 = pooled_z(xc, xc + xt, nc, nt);
    let z0 = if z0.is_nan() { 0.0 } else { z0 };
    let tol = 1e-9 * z0.abs().max(1.0);
    let h: Vec<f64> = (0..=n as usize).map(|k| conditional_region(k as f64, nc, nt, z0, tol, alternative)).collect();
    supremum(&h, n)
}

/// `h_K`: P(region | K) under the hypergeometric law of x_c given the total K.
fn conditional_region(k: f64, nc: f64, nt: f64, z0: f64, tol: f64, alternative: Alternative) -> f64 {
    let n = nc + nt;
    if k == 0.0 || k == n {
        // a single table with undefined z, counted as z = 0
        let inside = match alternative {
            Alternative::TwoSided => 0.0 >= z0.abs() - tol,
            Alternative::Greater => 0.0 >= z0 - tol,
            Alternative::Less => 0.0 <= z0 + tol,
        };
        return if inside { 1.0 } else { 0.0 };
    }
    let hyper = Hyper { nc, nt, k, lo: (k - nt).max(0.0), hi: nc.min(k) };
    let e = k * nc / n;
    let pooled = k / n;
    let sigma = (pooled * (1.0 - pooled) * nc * nt / n).sqrt();
    // z = (e − x_c)/σ: z ≥ s ⇔ x_c ≤ e − sσ; z ≤ s ⇔ x_c ≥ e − sσ
    match alternative {
        Alternative::Greater => hyper.cdf((e - (z0 - tol) * sigma).floor()),
        Alternative::Less => hyper.sf((e - (z0 + tol) * sigma).ceil()),
        Alternative::TwoSided => {
            let s = z0.abs() - tol;
            if s <= 0.0 {
                return 1.0;
            }
            (hyper.cdf((e - s * sigma).floor()) + hyper.sf((e + s * sigma).ceil())).min(1.0)
        }
    }
}

/// x_c given K: `nc` white and `nt` black balls, `k` drawn; support `[lo, hi]`.
struct Hyper {
    nc: f64,
    nt: f64,
    k: f64,
    lo: f64,
    hi: f64,
}

impl Hyper {
    fn mode(&self) -> f64 {
        ((self.k + 1.0) * (self.nc + 1.0) / (self.nc + self.nt + 2.0)).floor().clamp(self.lo, self.hi)
    }

    /// Σ pmf(x) for x from `start` downward (`up = false`) or upward, stopping when terms become negligible
    /// (called only on the side of the mode where the terms decrease).
    fn tail(&self, start: f64, up: bool) -> f64 {
        let (nc, nt, k) = (self.nc, self.nt, self.k);
        let mut term = ln_dhyper(start, nc, nt, k).exp();
        let mut sum = term;
        let mut x = start;
        while (up && x < self.hi) || (!up && x > self.lo) {
            term *= if up {
                (nc - x) * (k - x) / ((x + 1.0) * (nt - k + x + 1.0))
            } else {
                x * (nt - k + x) / ((nc - x + 1.0) * (k - x + 1.0))
            };
            x += if up { 1.0 } else { -1.0 };
            sum += term;
            if term <= 1e-17 * sum {
                break;
            }
        }
        sum
    }

    /// P(x_c ≤ a), summing the smaller side.
    fn cdf(&self, a: f64) -> f64 {
        if a < self.lo {
            0.0
        } else if a >= self.hi {
            1.0
        } else if a < self.mode() {
            self.tail(a, false)
        } else {
            (1.0 - self.tail(a + 1.0, true)).max(0.0)
        }
    }

    /// P(x_c ≥ b), summing the smaller side.
    fn sf(&self, b: f64) -> f64 {
        if b > self.hi {
            0.0
        } else if b <= self.lo {
            1.0
        } else if b > self.mode() {
            self.tail(b, true)
        } else {
            (1.0 - self.tail(b - 1.0, false)).max(0.0)
        }
    }
}

/// `sup_π Σ_K h_K·Bin(K; N, π)`: grid in θ = asin √π, then golden-section refinement of the grid maxima.
fn supremum(h: &[f64], n: f64) -> f64 {
    let eval = |theta: f64| mixture(h, n, theta);
    let half_pi = std::f64::consts::FRAC_PI_2;
    let m = (8.0 * n.sqrt()).ceil() as usize + 16;
    let step = half_pi / m as f64;
    let values: Vec<f64> = (0..m).map(|i| eval((i as f64 + 0.5) * step)).collect();
    let best = values.iter().copied().fold(h[0].max(h[h.len() - 1]), f64::max);
    let mut sup = best;
    for i in 0..m {
        let left = if i > 0 { values[i - 1] } else { f64::NEG_INFINITY };
        let right = if i + 1 < m { values[i + 1] } else { f64::NEG_INFINITY };
        if values[i] >= left && values[i] >= right && values[i] >= 0.8 * best {
            let lo = (i as f64 - 0.5) * step;
            let hi = (i as f64 + 1.5) * step;
            sup = sup.max(golden_max(&eval, lo.max(0.0), hi.min(half_pi)));
        }
    }
    sup.min(1.0)
}

/// `Σ_K h_K·Bin(K; N, sin²θ)`, summed outward from the binomial's mode while the terms matter.
fn mixture(h: &[f64], n: f64, theta: f64) -> f64 {
    let (p, q) = (theta.sin().powi(2), theta.cos().powi(2));
    if p <= 0.0 || q <= 0.0 {
        return if p <= 0.0 { h[0] } else { h[h.len() - 1] };
    }
    let mode = ((n + 1.0) * p).floor().clamp(0.0, n);
    let start = ln_dbinom_raw(mode, n, p, q).exp();
    let mut total = h[mode as usize] * start;
    let (mut term, mut k) = (start, mode);
    while k < n {
        term *= (n - k) / (k + 1.0) * (p / q);
        k += 1.0;
        total += h[k as usize] * term;
        if term <= 1e-17 * total || term < 1e-300 {
            break;
        }
    }
    let (mut term, mut k) = (start, mode);
    while k > 0.0 {
        term *= k / (n - k + 1.0) * (q / p);
        k -= 1.0;
        total += h[k as usize] * term;
        if term <= 1e-17 * total || term < 1e-300 {
            break;
        }
    }
    total
}

/// Maximum of `f` on `[lo, hi]` by golden-section search (f unimodal there), including the end points.
fn golden_max(f: &impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    let r = (5f64.sqrt() - 1.0) / 2.0;
    let (mut a, mut b) = (hi - r * (hi - lo), lo + r * (hi - lo));
    let (mut fa, mut fb) = (f(a), f(b));
    let mut best = f(lo).max(f(hi)).max(fa).max(fb);
    for _ in 0..80 {
        if fa >= fb {
            hi = b;
            b = a;
            fb = fa;
            a = hi - r * (hi - lo);
            fa = f(a);
        } else {
            lo = a;
            a = b;
            fa = fb;
            b = lo + r * (hi - lo);
            fb = f(b);
        }
        best = best.max(fa).max(fb);
        if hi - lo < 1e-15 {
            break;
        }
    }
    best
}
