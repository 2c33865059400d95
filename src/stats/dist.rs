//! Distribution functions accurate to ~1e-13 relative across parameters from 0.5 to 10^9.
//!
//! The normal and chi-square distributions come from `statrs` (its `erfc`, `erfc_inv` and regularized incomplete
//! gamma are accurate at the scales the stats module uses). The Student t and Beta distributions are computed
//! here because statrs 0.19's regularized incomplete beta (`beta_reg`) stops after 140 continued-fraction terms
//! and forms its prefactor as `exp(lnΓ(a+b) − lnΓ(a) − lnΓ(b) + …)`, which loses ~`(a+b)·ε` absolutely: about
//! 1e-6 relative at a + b = 10^9 (Student t with 10^9 degrees of freedom, Beta posteriors of 10^9 visitors).
//!
//! Method (the same building blocks R's `nmath` uses, re-derived here):
//! * `stirlerr(n) = lnΓ(n+1) − (n+½)·ln n + n − ln√(2π)`, from a table at half-integers ≤ 15 and the Stirling
//!   series above (Loader 2000, "Fast and accurate computation of binomial probabilities").
//! * `bd0(x, np) = x·ln(x/np) + np − x`, by a series when `x ≈ np` (no cancellation).
//! * the binomial kernel `C(n,x)·pˣ·qⁿ⁻ˣ` from those two (saddle-point form), valid for real `x`, `n`.
//! * `I_x(a, b)` = kernel prefactor × Lentz continued fraction (Numerical Recipes `betacf`), evaluated on the
//!   side where it converges (`x < (a+1)/(a+b+2)`) and taking `x` and `1 − x` as separate inputs, so both
//!   tails are computed directly (no `1 − cdf`). The fraction needs O(√max(a,b)) terms; the cap is 10^6.
//! * quantiles: safeguarded Newton iterations (bisection fallback inside a bracket) on the tail function of the
//!   side the probability lies in, to a relative step of 4ε.

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};
use statrs::function::erf::erfc_inv;
use statrs::function::gamma::ln_gamma;

const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;
const LN_2PI: f64 = 1.837_877_066_409_345_5;

/// `stirlerr(k/2)` for k = 0..=30 (k = 0 is a placeholder; computed with mpmath at 40 digits).
const SFERR_HALVES: [f64; 31] = [
    0.0,
    0.153_426_409_720_027_345_29,
    0.081_061_466_795_327_258_22,
    0.054_814_121_051_917_653_896,
    0.041_340_695_955_409_294_094,
    0.033_162_873_519_936_287_485,
    0.027_677_925_684_998_339_149,
    0.023_746_163_656_297_495_971,
    0.020_790_672_103_765_093_112,
    0.018_488_450_532_673_185_231,
    0.016_644_691_189_821_192_163,
    0.015_134_973_221_917_378_874,
    0.013_876_128_823_070_747_999,
    0.012_810_465_242_920_226_924,
    0.011_896_709_945_891_770_095,
    0.011_104_559_758_206_917_327,
    0.010_411_265_261_972_096_497,
    0.009_799_416_126_158_803_298_4,
    0.009_255_462_182_712_732_917_7,
    0.008_768_700_134_139_385_463,
    0.008_330_563_433_362_871_256_5,
    0.007_934_114_564_314_020_547_2,
    0.007_573_675_487_951_840_795,
    0.007_244_554_301_320_383_179_5,
    0.006_942_840_107_209_529_865_7,
    0.006_665_247_032_707_682_442_4,
    0.006_408_994_188_004_207_068_4,
    0.006_171_712_263_039_457_647_5,
    0.005_951_370_112_758_847_735_6,
    0.005_746_216_513_010_115_682,
    0.005_554_733_551_962_801_371,
];

/// Loader's Stirling-formula error `lnΓ(n+1) − (n+½)ln n + n − ln√(2π)`, for n > 0.
pub(crate) fn stirlerr(n: f64) -> f64 {
    const S0: f64 = 1.0 / 12.0;
    const S1: f64 = 1.0 / 360.0;
    const S2: f64 = 1.0 / 1260.0;
    const S3: f64 = 1.0 / 1680.0;
    const S4: f64 = 1.0 / 1188.0;
    if n <= 15.0 {
        let nn = n + n;
        if nn == nn.floor() && nn >= 1.0 {
            return SFERR_HALVES.get(nn as usize).copied().unwrap_or(0.0);
        }
        return ln_gamma(n + 1.0) - (n + 0.5) * n.ln() + n - LN_SQRT_2PI;
    }
    let nn = n * n;
    if n > 500.0 {
        (S0 - S1 / nn) / n
    } else if n > 80.0 {
        (S0 - (S1 - S2 / nn) / nn) / n
    } else if n > 35.0 {
        (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n
    } else {
        (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n
    }
}

/// Loader's deviance term `x·ln(x/np) + np − x` without cancellation near `x = np`.
pub(crate) fn bd0(x: f64, np: f64) -> f64 {
    if (x - np).abs() < 0.1 * (x + np) {
        let mut v = (x - np) / (x + np);
        let mut s = (x - np) * v;
        let mut ej = 2.0 * x * v;
        v *= v;
        for j in 1..1000 {
            ej *= v;
            let s1 = s + ej / f64::from(2 * j + 1);
            if s1 == s {
                return s1;
            }
            s = s1;
        }
        s
    } else {
        x * (x / np).ln() + np - x
    }
}

/// ln of the binomial kernel `Γ(n+1)/(Γ(x+1)Γ(n−x+1))·pˣ·qⁿ⁻ˣ` for real 0 ≤ x ≤ n (q = 1 − p given separately).
pub(crate) fn ln_dbinom_raw(x: f64, n: f64, p: f64, q: f64) -> f64 {
    if p == 0.0 {
        return if x == 0.0 { 0.0 } else { f64::NEG_INFINITY };
    }
    if q == 0.0 {
        return if x == n { 0.0 } else { f64::NEG_INFINITY };
    }
    if x == 0.0 {
        if n == 0.0 {
            return 0.0;
        }
        return if p < 0.1 { -bd0(n, n * q) - n * p } else { n * q.ln() };
    }
    if x == n {
        return if q < 0.1 { -bd0(n, n * p) - n * q } else { n * p.ln() };
    }
    if x < 0.0 || x > n {
        return f64::NEG_INFINITY;
    }
    let lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
    let lf = LN_2PI + x.ln() + (-x / n).ln_1p();
    lc - 0.5 * lf
}

/// ln B(a, b), accurate to ε relative to `1 + |ln B|` even when a + b is huge and the result is moderate
/// (Stirling form with the large terms grouped as `−(a−½)·ln(1+b/a) − (b−½)·ln(1+a/b)`).
pub(crate) fn ln_beta(a: f64, b: f64) -> f64 {
    let c = a + b;
    if c < 30.0 {
        return ln_gamma(a) + ln_gamma(b) - ln_gamma(c);
    }
    let (small, large) = if a < b { (a, b) } else { (b, a) };
    if small < 15.0 {
        // lnΓ(small) + [lnΓ(large) − lnΓ(c)], the bracket from Stirling's formula with ln(large/c) = ln1p(−small/c).
        let diff = (large - 0.5) * (-(small / c)).ln_1p() - small * c.ln() + small + stirlerr(large) - stirlerr(c);
        return ln_gamma(small) + diff;
    }
    -(a - 0.5) * (b / a).ln_1p() - (b - 0.5) * (a / b).ln_1p() - 0.5 * c.ln()
        + LN_SQRT_2PI
        + stirlerr(a)
        + stirlerr(b)
        - stirlerr(c)
}

/// Regularized incomplete beta: returns `(I_x(a,b), 1 − I_x(a,b))` with `y = 1 − x` given separately.
pub(crate) fn beta_inc(a: f64, b: f64, x: f64, y: f64) -> (f64, f64) {
    if x <= 0.0 {
        return (0.0, 1.0);
    }
    if y <= 0.0 {
        return (1.0, 0.0);
    }
    if x < (a + 1.0) / (a + b + 2.0) {
        let v = (beta_front(a, b, x, y) * beta_cf(a, b, x, y)).clamp(0.0, 1.0);
        (v, 1.0 - v)
    } else {
        let v = (beta_front(b, a, y, x) * beta_cf(b, a, y, x)).clamp(0.0, 1.0);
        (1.0 - v, v)
    }
}

/// `xᵃ·yᵇ / (a·B(a, b))`.
fn beta_front(a: f64, b: f64, x: f64, y: f64) -> f64 {
    if a >= 1.0 && b >= 1.0 && a + b >= 30.0 {
        // xᵃyᵇ/B(a,b) = kernel(a; a+b, x, y) · ab/(a+b)
        (ln_dbinom_raw(a, a + b, x, y) + (b / (a + b)).ln()).exp()
    } else {
        let ly = if x < 0.5 { (-x).ln_1p() } else { y.ln() };
        let lx = if y < 0.5 { (-y).ln_1p() } else { x.ln() };
        (a * lx + b * ly - ln_beta(a, b) - a.ln()).exp()
    }
}

/// Continued fraction for the incomplete beta (modified Lentz).
fn beta_cf(a: f64, b: f64, x: f64, y: f64) -> f64 {
    const FPMIN: f64 = 1e-300;
    let qab = a + b;
    let qap = a + 1.0;
    let qam = a - 1.0;
    let mut c = 1.0;
    // 1 − (a+b)x/(a+1) written with y = 1 − x: no cancellation when x ≈ 1 and a ≫ 1
    let mut d = (1.0 - b + qab * y) / qap;
    if d.abs() < FPMIN {
        d = FPMIN;
    }
    d = 1.0 / d;
    let mut h = d;
    // Stop after several consecutive converged steps: with a ≫ 1 single steps can be within ε of 1 long
    // before the fraction has converged.
    let mut settled = 0;
    for m in 1..1_000_000u32 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < FPMIN {
            d = FPMIN;
        }
        c = 1.0 + aa / c;
        if c.abs() < FPMIN {
            c = FPMIN;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < FPMIN {
            d = FPMIN;
        }
        c = 1.0 + aa / c;
        if c.abs() < FPMIN {
            c = FPMIN;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() <= f64::EPSILON {
            settled += 1;
            if settled >= 3 {
                break;
            }
        } else {
            settled = 0;
        }
    }
    h
}

/// Beta(a, b) density.
pub(crate) fn beta_pdf(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 || x >= 1.0 {
        return 0.0;
    }
    let y = 1.0 - x;
    if a > 2.0 && b > 2.0 && a + b >= 30.0 {
        ((a + b - 1.0).ln() + ln_dbinom_raw(a - 1.0, a + b - 2.0, x, y)).exp()
    } else {
        let lx = if y < 0.5 { (-y).ln_1p() } else { x.ln() };
        ((a - 1.0) * lx + (b - 1.0) * (-x).ln_1p() - ln_beta(a, b)).exp()
    }
}

/// Beta(a, b) cdf.
#[allow(dead_code)]
pub(crate) fn beta_cdf(a: f64, b: f64, x: f64) -> f64 {
    beta_inc(a, b, x, 1.0 - x).0
}

/// Beta(a, b) survival function.
#[allow(dead_code)]
pub(crate) fn beta_sf(a: f64, b: f64, x: f64) -> f64 {
    beta_inc(a, b, x, 1.0 - x).1
}

/// Beta(a, b) quantile `x` with `P(X ≤ x) = p`.
pub(crate) fn beta_ppf(a: f64, b: f64, p: f64) -> f64 {
    beta_quantile(a, b, p, false)
}

/// Beta(a, b) upper quantile `x` with `P(X > x) = q`.
pub(crate) fn beta_isf(a: f64, b: f64, q: f64) -> f64 {
    beta_quantile(a, b, q, true)
}

fn beta_quantile(a: f64, b: f64, prob: f64, upper: bool) -> f64 {
    if prob.is_nan() {
        return f64::NAN;
    }
    if prob <= 0.0 {
        return if upper { 1.0 } else { 0.0 };
    }
    if prob >= 1.0 {
        return if upper { 0.0 } else { 1.0 };
    }
    // Solve on the tail the probability is small in: lower tail F(x) = p or upper tail S(x) = q.
    let (use_lower, target) = if upper {
        if prob <= 0.5 { (false, prob) } else { (true, 1.0 - prob) }
    } else if prob <= 0.5 {
        (true, prob)
    } else {
        (false, 1.0 - prob)
    };
    // g(x) increasing in x: lower: F(x) − target; upper: target − S(x).
    let g = |x: f64| {
        let (f, s) = beta_inc(a, b, x, 1.0 - x);
        if use_lower { f - target } else { target - s }
    };
    let mean = a / (a + b);
    let sd = (a * b / ((a + b) * (a + b) * (a + b + 1.0))).sqrt();
    let z = norm_isf(target);
    let guess = if use_lower { mean - z * sd } else { mean + z * sd };
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    let mut x = if guess > 0.0 && guess < 1.0 { guess } else { 0.5 };
    for _ in 0..600 {
        let gx = g(x);
        if gx == 0.0 {
            return x;
        }
        if gx < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let pdf = beta_pdf(a, b, x);
        let mut next = if pdf > 0.0 && pdf.is_finite() { x - gx / pdf } else { f64::NAN };
        if !(next > lo && next < hi) {
            // bisection; geometric when the bracket spans orders of magnitude (quantiles can be tiny)
            next = if lo == 0.0 {
                hi * 0.0625
            } else if hi / lo > 16.0 {
                (lo * hi).sqrt()
            } else {
                0.5 * (lo + hi)
            };
        }
        if (next - x).abs() <= 4.0 * f64::EPSILON * x.abs() || hi - lo <= 4.0 * f64::EPSILON * hi {
            return next;
        }
        x = next;
    }
    x
}

/// Standard normal cdf.
pub(crate) fn norm_cdf(z: f64) -> f64 {
    Normal::standard().cdf(z)
}

/// Standard normal survival function (computed as `erfc`, no cancellation).
pub(crate) fn norm_sf(z: f64) -> f64 {
    Normal::standard().sf(z)
}

/// Standard normal density.
pub(crate) fn norm_pdf(z: f64) -> f64 {
    (-0.5 * z * z - LN_SQRT_2PI).exp()
}

/// Upper standard normal quantile: `z` with `P(Z > z) = q`, i.e. `√2·erfc⁻¹(2q)`, polished by Newton steps on
/// the survival function.
pub(crate) fn norm_isf(q: f64) -> f64 {
    if q.is_nan() {
        return f64::NAN;
    }
    if q <= 0.0 {
        return f64::INFINITY;
    }
    if q >= 1.0 {
        return f64::NEG_INFINITY;
    }
    if q > 0.5 {
        return -norm_isf(1.0 - q);
    }
    let mut z = std::f64::consts::SQRT_2 * erfc_inv(2.0 * q);
    for _ in 0..3 {
        let pdf = norm_pdf(z);
        if !(pdf > 0.0) || !z.is_finite() {
            break;
        }
        let step = (norm_sf(z) - q) / pdf;
        if !step.is_finite() {
            break;
        }
        z += step;
        if step.abs() <= f64::EPSILON * z.abs() {
            break;
        }
    }
    z
}

/// Chi-square survival function with `df` degrees of freedom.
pub(crate) fn chi2_sf(x: f64, df: f64) -> f64 {
    match ChiSquared::new(df) {
        Ok(d) if x.is_finite() => d.sf(x.max(0.0)),
        Ok(_) if x == f64::INFINITY => 0.0,
        _ => f64::NAN,
    }
}

/// Student t upper tail `P(T > |t|)` (the tail on the far side of 0).
fn t_tail(t: f64, df: f64) -> f64 {
    if df.is_infinite() {
        return norm_sf(t.abs());
    }
    let t2 = t * t;
    if t2.is_infinite() {
        return 0.0;
    }
    let x = df / (df + t2);
    let y = t2 / (df + t2);
    0.5 * beta_inc(0.5 * df, 0.5, x, y).0
}

/// Student t cdf.
#[allow(dead_code)]
pub(crate) fn t_cdf(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() {
        return f64::NAN;
    }
    let tail = t_tail(t, df);
    if t < 0.0 { tail } else { 1.0 - tail }
}

/// Student t survival function.
pub(crate) fn t_sf(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() {
        return f64::NAN;
    }
    let tail = t_tail(t, df);
    if t > 0.0 { tail } else { 1.0 - tail }
}

/// Student t density.
pub(crate) fn t_pdf(t: f64, df: f64) -> f64 {
    if df.is_infinite() {
        return norm_pdf(t);
    }
    (-(df + 1.0) / 2.0 * (t * t / df).ln_1p() - 0.5 * df.ln() - ln_beta(0.5 * df, 0.5)).exp()
}

/// Upper Student t quantile: `t` with `P(T > t) = q`.
pub(crate) fn t_isf(q: f64, df: f64) -> f64 {
    if q.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if q > 0.5 {
        return -t_isf(1.0 - q, df);
    }
    if q <= 0.0 {
        return f64::INFINITY;
    }
    if q == 0.5 {
        return 0.0;
    }
    if df.is_infinite() {
        return norm_isf(q);
    }
    // bracket [0, hi] with t_tail(hi) < q
    let mut hi = norm_isf(q).max(1.0);
    let mut guard = 0;
    while t_tail(hi, df) > q && guard < 2000 {
        hi *= 2.0;
        guard += 1;
    }
    let mut lo = 0.0;
    let mut t = norm_isf(q).clamp(lo, hi);
    if t <= lo || t >= hi {
        t = 0.5 * (lo + hi);
    }
    for _ in 0..400 {
        let g = t_tail(t, df) - q; // decreasing in t
        if g == 0.0 {
            return t;
        }
        if g > 0.0 {
            lo = t;
        } else {
            hi = t;
        }
        let pdf = t_pdf(t, df);
        let mut next = t + g / pdf;
        if !(next > lo && next < hi) || !next.is_finite() {
            next = if hi / lo.max(1e-300) > 4.0 && lo > 0.0 { (lo * hi).sqrt() } else { 0.5 * (lo + hi) };
        }
        if (next - t).abs() <= 4.0 * f64::EPSILON * t.abs() || hi - lo <= 4.0 * f64::EPSILON * hi {
            return next;
        }
        t = next;
    }
    t
}

/// ln of the hypergeometric pmf: `x` white balls among `n` drawn from `r` white and `b` black (R's `dhyper`).
pub(crate) fn ln_dhyper(x: f64, r: f64, b: f64, n: f64) -> f64 {
    if x < 0.0 || x > r || n - x < 0.0 || n - x > b {
        return f64::NEG_INFINITY;
    }
    if n == 0.0 {
        return if x == 0.0 { 0.0 } else { f64::NEG_INFINITY };
    }
    let total = r + b;
    let p = n / total;
    let q = (total - n) / total;
    let p1 = ln_dbinom_raw(x, r, p, q);
    let p2 = ln_dbinom_raw(n - x, b, p, q);
    let p3 = ln_dbinom_raw(n, total, p, q);
    p1 + p2 - p3
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_beta_matches_ln_gamma_for_moderate_arguments() {
        for &(a, b) in &[(0.5, 40.0), (3.0, 50.0), (20.0, 25.0), (100.5, 7.25), (1e3, 2e3)] {
            let direct = ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b);
            assert!((ln_beta(a, b) - direct).abs() < 1e-10 * (1.0 + direct.abs()), "{a} {b}");
        }
    }

    #[test]
    fn t_quantile_roundtrip() {
        for &df in &[1.0, 2.5, 10.0, 1e3, 1e9] {
            for &q in &[0.4, 0.025, 1e-6, 1e-30] {
                let t = t_isf(q, df);
                let back = t_sf(t, df);
                assert!(((back - q) / q).abs() < 1e-12, "df {df} q {q}: {back}");
            }
        }
    }

    #[test]
    fn beta_quantile_roundtrip() {
        for &(a, b) in &[(0.5, 0.5), (1.0, 1e9), (3.0, 7.0), (1e6, 1e9), (1e9 + 0.5, 5.5)] {
            for &p in &[1e-12, 0.025, 0.5, 0.975] {
                let x = beta_ppf(a, b, p);
                // x is right to within a few ulps: the cdf brackets p one ulp-step either side
                let (below, above) = (beta_cdf(a, b, x * (1.0 - 4e-16)), beta_cdf(a, b, x * (1.0 + 4e-16)));
                let back = beta_cdf(a, b, x);
                assert!(((back - p) / p).abs() < 1e-9 || (below <= p && p <= above), "({a},{b}) p {p}: x {x} back {back}");
            }
        }
    }
}
