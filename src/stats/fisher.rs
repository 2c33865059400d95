//! Fisher's exact test for a 2×2 table `[[control converted, control not], [treatment converted, treatment not]]`.
//!
//! Reference: scipy `fisher_exact(table[::-1], alternative)` — the rows are flipped so that the odds ratio is
//! treatment vs control and `'greater'` means H1: treatment converts more (odds ratio > 1).
//! With `a, b` = treatment (converted, not), `c, d` = control (converted, not): `oddsRatio = a·d/(b·c)`
//! (the sample odds ratio; ∞ when b·c = 0 < a·d, NaN + p = 1 when a row or column sums to 0).
//! Under H0, `a ~ Hypergeometric(N = a+b+c+d, K = a+b, n = a+c)`:
//! * greater: `P(X ≥ a)`; less: `P(X ≤ a)`;
//! * two-sided: `Σ P(X = x)` over all x with `P(X = x) ≤ P(X = a)·(1 + 10⁻⁷)` (R's and older scipy's rule;
//!   scipy 1.14 uses 1 + 10⁻¹⁴, which agrees except where float noise decides a tie).
//!
//! The pmf is computed in log space with Loader's saddle-point binomial kernel (`dhyper` as in R), so tables
//! with counts up to 10⁹ keep ~1e-13 relative accuracy. Tails are summed outward from the boundary until the
//! terms fall below 10⁻¹⁸ of the running sum (the pmf is log-concave, so terms only decrease).

use serde::{Deserialize, Serialize};

use super::dist::ln_dhyper;
use super::{integer_count, Alternative};
use crate::error::{Error, Result};

/// Options of [`fisher_exact`].
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct FisherOptions {
    /// Alternative hypothesis (default two-sided).
    pub alternative: Alternative,
}

/// Result of [`fisher_exact`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FisherResult {
    /// Sample odds ratio, treatment vs control.
    pub odds_ratio: f64,
    /// p-value.
    pub p_value: f64,
    /// Why the odds ratio is NaN, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

struct Hyper {
    r: f64,
    b: f64,
    n: f64,
    lo: f64,
    hi: f64,
}

impl Hyper {
    fn ln_pmf(&self, x: f64) -> f64 {
        ln_dhyper(x, self.r, self.b, self.n)
    }

    /// Σ pmf(x) for x from `start` stepping by `step` (±1) while inside the support, until negligible.
    fn tail(&self, start: f64, step: f64) -> f64 {
        let mut sum = 0.0;
        let mut x = start;
        while x >= self.lo && x <= self.hi {
            let p = self.ln_pmf(x).exp();
            sum += p;
            if p <= 1e-18 * sum || (p == 0.0 && sum == 0.0 && self.ln_pmf(x) < -800.0) {
                break;
            }
            x += step;
        }
        sum
    }

    /// P(X ≤ x), summing the smaller side.
    fn cdf(&self, x: f64, mode: f64) -> f64 {
        if x < mode {
            self.tail(x, -1.0)
        } else {
            (1.0 - self.tail(x + 1.0, 1.0)).max(0.0)
        }
    }

    /// P(X ≥ x), summing the smaller side.
    fn sf_incl(&self, x: f64, mode: f64) -> f64 {
        if x > mode {
            self.tail(x, 1.0)
        } else {
            (1.0 - self.tail(x - 1.0, -1.0)).max(0.0)
        }
    }
}

/// Fisher's exact test; see the module docs. `table` is `[[control conv, control not], [treatment conv, treatment not]]`.
pub fn fisher_exact(table: &[[f64; 2]; 2], options: &FisherOptions) -> Result<FisherResult> {
    let [[c, d], [a, b]] = *table;
    integer_count("table[0][0]", c)?;
    integer_count("table[0][1]", d)?;
    integer_count("table[1][0]", a)?;
    integer_count("table[1][1]", b)?;
    if a + b == 0.0 || c + d == 0.0 || a + c == 0.0 || b + d == 0.0 {
        return Ok(FisherResult {
            odds_ratio: f64::NAN,
            p_value: 1.0,
            warning: Some("a row or column sums to 0: the odds ratio is undefined".into()),
        });
    }
    if a + b + c + d > 9.007_199_254_740_992e15 {
        return Err(Error::invalid_argument("table", "counts too large to be exact (total above 2^53)"));
    }
    let odds_ratio = if b > 0.0 && c > 0.0 { a * d / (b * c) } else { f64::INFINITY };
    let (r, bl, n) = (a + b, c + d, a + c);
    let h = Hyper { r, b: bl, n, lo: (n - bl).max(0.0), hi: n.min(r) };
    // The exact tails are summed term by term over a few standard deviations of the hypergeometric: ~0.1 s at
    // σ = 10^6, minutes near σ = 10^7 (N ~ 10^15), which would freeze a browser tab. Such tables are far into
    // the regime where the chi-square and z tests agree with Fisher's to many digits, so refuse and point there.
    let total = r + bl;
    let sigma = (n * (r / total) * (bl / total) * ((total - n) / (total - 1.0).max(1.0))).sqrt();
    if sigma > 2e6 {
        return Err(Error::invalid_argument(
            "table",
            format!(
                "the table is too large for an exact test (hypergeometric standard deviation {sigma:.3e} > 2e6, \
                 ~{:.0e} terms to sum); at this size chiSquareIndependence or twoProportionZTest give the same \
                 answer to many digits",
                sigma * 40.0
            ),
        ));
    }
    let mode = ((n + 1.0) * (r + 1.0) / (r + bl + 2.0)).floor().clamp(h.lo, h.hi);
    let p_value = match options.alternative {
        Alternative::Less => h.cdf(a, mode),
        Alternative::Greater => h.sf_incl(a, mode),
        Alternative::TwoSided => {
            let ln_exact = h.ln_pmf(a);
            let ln_bound = ln_exact + 1e-7_f64.ln_1p();
            if h.ln_pmf(mode) <= ln_bound {
                1.0
            } else if a < mode {
                // all x ≤ a qualify; on the other side, the first x > mode with pmf ≤ bound, by bisection
                let plower = h.tail(a, -1.0);
                let (mut lo, mut hi) = (mode, h.hi);
                if h.ln_pmf(hi) > ln_bound {
                    plower
                } else {
                    while hi - lo > 1.0 {
                        let mid = ((lo + hi) / 2.0).floor();
                        if h.ln_pmf(mid) <= ln_bound {
                            hi = mid
                        } else {
                            lo = mid
                        }
                    }
                    plower + h.tail(hi, 1.0)
                }
            } else {
                let pupper = h.tail(a, 1.0);
                let (mut lo, mut hi) = (h.lo, mode);
                if h.ln_pmf(lo) > ln_bound {
                    pupper
                } else {
                    while hi - lo > 1.0 {
                        let mid = ((lo + hi) / 2.0).floor();
                        if h.ln_pmf(mid) <= ln_bound {
                            lo = mid
                        } else {
                            hi = mid
                        }
                    }
                    pupper + h.tail(lo, -1.0)
                }
            }
        }
    };
    Ok(FisherResult { odds_ratio, p_value: p_value.min(1.0), warning: None })
}
