//! The fixed-horizon frequentist `compare` of two proportions: one test of "no difference" and the absolute and
//! relative intervals that agree with it.
//!
//! * **Statistic**: the pooled z (the score statistic at no difference).
//! * **p-value**: Barnard's exact unconditional test of that statistic when `n_c + n_t ≤ 1000` (the coarse
//!   binomial lattice, where every normal test exceeds α: 0.057 at 50 units per arm and a 50 % rate); Fisher's
//!   exact test for larger tables under the small-sample rule (an expected count below 5); otherwise the normal
//!   tail of the pooled z.
//! * **Intervals**: Mee's score interval for `p_t − p_c` at the normal critical value `z_α` (`super::score`); for
//!   `p_t/p_c` the MOVER-J interval (`super::mover`: lift = ratio − 1, never below −100 %, bounded whenever
//!   control has a conversion). At 0 Mee's interval is the pooled z test with critical value `z_α`, so it
//!   excludes 0 exactly when the *normal* test rejects; MOVER-J's verdict at 0 is its own. Where the interval's
//!   verdict differs from the p-value's (an exact test decided otherwise, or MOVER-J and the score test
//!   disagree), the bound nearest 0 is moved to 0 (widened to include it when only the interval excludes it,
//!   cut at it when only the test rejects): interval and p-value agree, and everywhere else the interval keeps
//!   its own coverage instead of inheriting the exact test's conservatism (docs/statistics.md, "Calibration").

use super::barnard::{barnard_p, EXACT_MAX_TRIALS};
use super::dist::{norm_isf, norm_sf};
use super::fisher::{fisher_exact, FisherOptions};
use super::mover;
use super::score::Pair;
use super::{p_value_symmetric, Alternative, Proportion};
use crate::error::Result;

/// p-value, interval and warning of one fixed-horizon comparison of proportions.
pub(crate) struct ProportionTest {
    pub p: f64,
    pub lower: f64,
    pub upper: f64,
    pub warning: Option<String>,
}

/// Test and interval for control `c` vs treatment `t` (both with ≥ 2 trials, not both at 0 % or 100 %).
pub(crate) fn compare_proportions(
    c: &Proportion,
    t: &Proportion,
    relative: bool,
    alternative: Alternative,
    confidence: f64,
) -> Result<ProportionTest> {
    let pair = Pair::new(c, t);
    let z = pair.pooled_z();
    let small = small_sample(c, t);
    let (p, exact) = if c.trials + t.trials <= EXACT_MAX_TRIALS {
        (barnard_p(pair.xc, pair.nc, pair.xt, pair.nt, alternative), Some("Barnard's exact test"))
    } else if let Some((table, _)) = &small {
        (fisher_exact(table, &FisherOptions { alternative })?.p_value, Some("Fisher's exact test"))
    } else {
        (p_value_symmetric(z, alternative, norm_sf), None)
    };
    let alpha = 1.0 - confidence;
    let sides = if alternative == Alternative::TwoSided { 2.0 } else { 1.0 };
    let z_alpha = norm_isf(alpha / sides);
    let (lower, upper) = if relative {
        let (l, u) = mover::ratio_interval(&pair, alpha / sides);
        (l - 1.0, u - 1.0)
    } else {
        pair.diff_interval(z_alpha)
    };
    let (lower, upper) = match alternative {
        Alternative::TwoSided => (lower, upper),
        Alternative::Greater => (lower, f64::INFINITY),
        Alternative::Less => (if relative { -1.0 } else { f64::NEG_INFINITY }, upper),
    };
    let estimate = t.rate() - c.rate();
    let (lower, upper) = agree_with_test(lower, upper, estimate, p < alpha);
    let warning = small.map(|(_, msg)| match exact {
        Some(test) => {
            format!(
                "{msg}; the p-value is {test} and the interval is the {}, its bound at 0 set by that test",
                if relative { "MOVER-J interval" } else { "score interval" }
            )
        }
        None => msg,
    });
    Ok(ProportionTest { p, lower, upper, warning })
}

/// Makes "the interval excludes 0" equal "the test rejects": the bound nearest 0 moves to 0 where the interval's
/// verdict differs from the test's (and where rounding of a bound at 0 could break the agreement).
fn agree_with_test(lower: f64, upper: f64, estimate: f64, reject: bool) -> (f64, f64) {
    if !reject {
        return (lower.min(0.0), upper.max(0.0));
    }
    if lower <= 0.0 && 0.0 <= upper {
        if estimate > 0.0 {
            return (f64::MIN_POSITIVE, upper);
        }
        if estimate < 0.0 {
            return (lower, -f64::MIN_POSITIVE);
        }
    }
    (lower, upper)
}

/// The small-sample rule for proportions: the normal approximation is unreliable when an expected count of the
/// 2×2 table (converted / not, per group, under "no difference") is below 5 — Cochran's rule, the one behind
/// chi-square's validity. Returns the table (for Fisher's exact test) and the warning text.
pub(crate) fn small_sample(c: &Proportion, t: &Proportion) -> Option<([[f64; 2]; 2], String)> {
    let n = c.trials + t.trials;
    let conv = c.successes + t.successes;
    let smallest_expected = c.trials.min(t.trials) * conv.min(n - conv) / n;
    (smallest_expected < SMALL_EXPECTED_COUNT).then(|| {
        (
            [[c.successes, c.trials - c.successes], [t.successes, t.trials - t.successes]],
            format!(
                "unreliable: the smallest expected count of the 2×2 table is {smallest_expected:.3} (< \
                 {SMALL_EXPECTED_COUNT}), so the normal approximation does not hold"
            ),
        )
    })
}

/// Expected-count threshold of the small-sample rule (Cochran 1954).
pub const SMALL_EXPECTED_COUNT: f64 = 5.0;
