//! The Gaussian hypergeometric function ₂F₁(a, b; c; z) for real parameters and 0 ≤ z < 1, as a logarithm and a
//! sign, which is what the BG/NBD conditional expectation needs.
//!
//! The power series Σₙ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ converges for |z| < 1, but when c − a − b < 0 its sum grows like
//! (1 − z)^(c−a−b) near z = 1 (for BG/NBD customers with many purchases and long horizons, values of 10¹⁰⁰ are
//! normal). Euler's transformation ₂F₁(a, b; c; z) = (1 − z)^(c−a−b) ₂F₁(c − a, c − b; c; z) turns that into a
//! series whose sum stays bounded up to z = 1, with the growth moved into an exact power; the sum is then
//! accumulated with rescaling, so no intermediate term overflows. scipy's `hyp2f1` (which `lifetimes` calls) falls
//! back to the same identity when the direct value overflows.

/// Most series terms summed before giving up (reached only for z within ~10⁻⁵ of 1).
const MAX_TERMS: usize = 1_000_000;

/// `ln |₂F₁(a, b; c; z)|` and the sign of ₂F₁ (`±1.0`), for 0 ≤ z < 1 and c not 0, −1, −2, …
/// Returns `(NaN, NaN)` outside that domain or if the series does not converge within a million terms.
pub fn ln_hyp2f1(a: f64, b: f64, c: f64, z: f64) -> (f64, f64) {
    let valid = [a, b, c, z].iter().all(|v| v.is_finite()) && (0.0..1.0).contains(&z);
    if !valid || (c <= 0.0 && c.fract() == 0.0) {
        return (f64::NAN, f64::NAN);
    }
    let s = c - a - b;
    if s < 0.0 {
        let (ln, sign) = ln_series(c - a, c - b, c, z);
        (ln + s * (-z).ln_1p(), sign)
    } else {
        ln_series(a, b, c, z)
    }
}

/// ₂F₁(a, b; c; z) itself (may be ±∞ when it overflows an `f64`).
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let (ln, sign) = ln_hyp2f1(a, b, c, z);
    sign * ln.exp()
}

/// The power series, summed with a running scale (`ln_scale`) so that huge intermediate terms cannot overflow.
fn ln_series(a: f64, b: f64, c: f64, z: f64) -> (f64, f64) {
    const RESCALE_ABOVE: f64 = 1e200;
    let mut term = 1.0_f64;
    let mut sum = 1.0_f64;
    let mut ln_scale = 0.0_f64;
    let ratios_below_z_from = ratio_bound_start(a, b, c);
    for n in 0..MAX_TERMS {
        let nf = n as f64;
        let ratio = (a + nf) * (b + nf) / ((c + nf) * (nf + 1.0)) * z;
        term *= ratio;
        sum += term;
        if term == 0.0 {
            // A zero numerator parameter: the series is a polynomial and has ended.
            return (sum.abs().ln() + ln_scale, sum.signum());
        }
        if sum.abs() > RESCALE_ABOVE || term.abs() > RESCALE_ABOVE {
            term /= RESCALE_ABOVE;
            sum /= RESCALE_ABOVE;
            ln_scale += RESCALE_ABOVE.ln();
        }
        // Once every later ratio is at most z, the tail is bounded by a geometric series with ratio z.
        let rho = ratio.abs().max(z);
        let settled = nf + 1.0 >= ratios_below_z_from && ratio.abs() < 1.0;
        if settled && term.abs() * rho / (1.0 - rho) <= 1e-17 * sum.abs() {
            return (sum.abs().ln() + ln_scale, sum.signum());
        }
    }
    (f64::NAN, f64::NAN)
}

/// The first index n from which every term ratio (a+m)(b+m)/((c+m)(m+1))·z, m ≥ n, lies in [0, z]: all factors
/// are positive beyond −a, −b, −c, and the fraction is ≤ 1 iff m(a + b − c − 1) ≤ c − ab, which holds for every
/// m ≥ (c − ab)/(a + b − c − 1) when a + b − c − 1 < 0 — always here, as the series is only summed with
/// c − a − b ≥ 0. A bound from the parameters' magnitudes alone (n > |a|, |b|, |c|) would force ~10⁵ terms for
/// b ≈ 10⁵, a fitted BG/NBD b on data without drop-out.
fn ratio_bound_start(a: f64, b: f64, c: f64) -> f64 {
    let positive_from = (-a).max(-b).max(-c).max(0.0);
    let k = a + b - c - 1.0;
    if k < 0.0 {
        positive_from.max((c - a * b) / k)
    } else {
        positive_from.max(c.abs() + 1.0).max(a.abs()).max(b.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_forms() {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z; ₂F₁(a, b; b; z) = (1 − z)^(−a).
        for z in [1e-6_f64, 0.1, 0.5, 0.9, 0.999] {
            let want = -(-z).ln_1p() / z;
            assert!((hyp2f1(1.0, 1.0, 2.0, z) / want - 1.0).abs() < 1e-13, "z = {z}");
            let want = (1.0 - z).powf(-0.7);
            assert!((hyp2f1(0.7, 2.5, 2.5, z) / want - 1.0).abs() < 1e-13, "z = {z}");
        }
        assert_eq!(hyp2f1(0.3, 0.4, 0.5, 0.0), 1.0);
    }

    #[test]
    fn huge_parameters_converge_fast_and_right() {
        // ₂F₁(a, b; b; z) = (1 − z)^(−a) with b ≈ 10⁵ (c − a − b = −a loses ~11 digits to cancellation in f64).
        let want = (1.0f64 - 0.6).powf(-0.243);
        assert!((hyp2f1(0.243, 81_664.0, 81_664.0, 0.6) / want - 1.0).abs() < 1e-9);
        // A series whose ratios are ≤ z from the second term on, as in the demo data's fit (a ≈ c ≈ 10⁵): it
        // ends after a few dozen terms (its value is checked against mpmath in hyp2f1.json).
        let (ln, _) = ln_hyp2f1(81_664.1, 1.0000033, 81_667.0000033, 0.5);
        assert!(ln.is_finite());
        // ₂F₁(a, 1; 1; z) = (1 − z)^(−a) for a large a (c − a − b < 0: transformed), far beyond f64 range.
        let (ln, sign) = ln_hyp2f1(81_662.5, 1.0, 1.0, 0.3);
        let want = -81_662.5 * (0.7f64).ln();
        assert!(sign > 0.0 && (ln / want - 1.0).abs() < 1e-12, "{ln} vs {want}");
    }

    #[test]
    fn domain() {
        assert!(ln_hyp2f1(1.0, 1.0, -2.0, 0.5).0.is_nan());
        assert!(ln_hyp2f1(1.0, 1.0, 2.0, 1.0).0.is_nan());
        assert!(ln_hyp2f1(1.0, 1.0, 2.0, -0.1).0.is_nan());
        assert!(ln_hyp2f1(f64::NAN, 1.0, 2.0, 0.1).0.is_nan());
    }
}
