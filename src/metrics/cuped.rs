//! CUPED for one compared pair (control, treatment): θ is the covariate's coefficient in the OLS regression of
//! revenue on a treatment indicator and the covariate, `θ = (S_xy,c + S_xy,t)/(S_xx,c + S_xx,t)` over
//! within-group centred sums, so the adjusted difference `(Ȳ_t − Ȳ_c) − θ(X̄_t − X̄_c)` is the OLS treatment
//! coefficient. (gbstats pools the pair without centring per group; the two agree when X̄_t = X̄_c.)
//! Each group's adjusted variance is its residual variance `(S_yy − 2θS_xy + θ²S_xx)/(n − 1)`.
//!
//! The relative lift is `adjusted difference / unadjusted control mean` (what the lift means to a reader:
//! the change relative to what control customers really spent); it is refused (NaN + warning) when the control
//! mean is ~0, as gbstats refuses a zero baseline, instead of dividing by a near-zero adjusted mean. Only the
//! lift is refused: the p-value of "no difference" is the absolute mode's, as `stats::compare` does for a
//! control mean of 0.

use super::summary::CellSummary;
use crate::error::Result;
use crate::stats::{self, CompareOptions, CompareResult, Difference, Engine, MeanSummary};

/// Within-group centred sums of one cell: `(n, Ȳ, X̄, S_yy, S_xx, S_xy)`.
fn centred(c: &CellSummary) -> (f64, f64, f64, f64, f64, f64) {
    let n = c.revenue_n() as f64;
    if n == 0.0 {
        return (0.0, f64::NAN, f64::NAN, 0.0, 0.0, 0.0);
    }
    let (ym, xm) = (c.revenue_sum / n, c.covariate_sum / n);
    (
        n,
        ym,
        xm,
        (c.revenue_sum_squares - c.revenue_sum * ym).max(0.0),
        (c.covariate_sum_squares - c.covariate_sum * xm).max(0.0),
        c.revenue_covariate_sum - c.covariate_sum * ym,
    )
}

/// θ of the pair (0 when the covariate does not vary within the groups).
pub fn pair_theta(control: &CellSummary, treatment: &CellSummary) -> f64 {
    let (.., sxx_c, sxy_c) = centred(control);
    let (.., sxx_t, sxy_t) = centred(treatment);
    let sxx = sxx_c + sxx_t;
    if sxx > 0.0 {
        (sxy_c + sxy_t) / sxx
    } else {
        0.0
    }
}

/// The pair's comparison on CUPED-adjusted revenue, and its θ.
pub fn compare(
    control: &CellSummary,
    treatment: &CellSummary,
    options: &CompareOptions,
) -> Result<(CompareResult, f64)> {
    let theta = pair_theta(control, treatment);
    let (nc, yc, xc, syy_c, sxx_c, sxy_c) = centred(control);
    let (nt, yt, xt, syy_t, sxx_t, sxy_t) = centred(treatment);
    let residual = |cell: &CellSummary, n: f64, syy: f64, sxx: f64, sxy: f64| {
        let ss = syy - 2.0 * theta * sxy + theta * theta * sxx;
        // A residual within the raw sums' rounding is 0 (e.g. constant revenue, whose θ is rounding noise), so a
        // zero-variance pair stays undefined, as `stats.compare` says for the same data.
        let raw = cell.revenue_sum_squares
            + 2.0 * (theta * cell.revenue_covariate_sum).abs()
            + theta * theta * cell.covariate_sum_squares;
        if n < 2.0 {
            0.0
        } else {
            crate::stats::above_sums_rounding(ss, raw) / (n - 1.0)
        }
    };
    let (vc, vt) = (residual(control, nc, syy_c, sxx_c, sxy_c), residual(treatment, nt, syy_t, sxx_t, sxy_t));
    let adjusted_diff = (yt - yc) - theta * (xt - xc);
    let relative = options.difference == Difference::Relative;
    // The lift is refused (as gbstats refuses a zero baseline), not the test: "no difference" is the same
    // hypothesis in both modes, so its p-value is the absolute mode's (`CompareResult::without_lift`).
    let refused = relative && nc >= 2.0 && yc.abs() <= NEAR_ZERO * (syy_c / (nc - 1.0)).sqrt();
    if refused && options.engine == Engine::Bayesian {
        let warning = format!("{}: a posterior of the lift is undefined", near_zero_reason(yc));
        return Ok((CompareResult::undefined(true, &warning), theta));
    }
    let absolute = CompareOptions { difference: Difference::Absolute, ..*options };
    let options = if refused { &absolute } else { options };
    // Shown against the unadjusted control mean: control at Ȳ_c, treatment at Ȳ_c + adjusted difference, each
    // with its residual variance (the denominator's own noise is approximated by the control's residual).
    let control_mean = if relative && !refused { yc } else { yc - theta * (xc - pooled(nc, xc, nt, xt)) };
    let result = stats::compare(&mean(control_mean, vc, nc), &mean(control_mean + adjusted_diff, vt, nt), options)?;
    Ok((if refused { result.without_lift(&near_zero_reason(yc)) } else { result }, theta))
}

/// Why a CUPED relative lift is refused.
fn near_zero_reason(yc: f64) -> String {
    format!("the control's mean revenue ({yc:e}) is ~0, so a CUPED relative lift would divide by noise")
}

/// A control mean within `NEAR_ZERO` standard deviations of 0 is treated as 0 for relative lifts.
const NEAR_ZERO: f64 = 1e-9;

fn pooled(nc: f64, xc: f64, nt: f64, xt: f64) -> f64 {
    (nc * xc + nt * xt) / (nc + nt)
}

fn mean(mean: f64, variance: f64, n: f64) -> stats::Summary {
    stats::Summary::Mean(MeanSummary::Moments { mean: if mean.is_finite() { mean } else { 0.0 }, variance, n })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// θ and the adjusted difference against statsmodels OLS (`scripts/gen_stats_fixtures.py`, `gen_cuped`).
    #[test]
    fn theta_matches_ols() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/stats/cuped.json");
        let fixture: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for case in fixture["cases"].as_array().unwrap() {
            let cell = |v: &serde_json::Value| CellSummary {
                n: v["n"].as_u64().unwrap(),
                revenue_sum: v["revenueSum"].as_f64().unwrap(),
                revenue_sum_squares: v["revenueSumSquares"].as_f64().unwrap(),
                covariate_sum: v["covariateSum"].as_f64().unwrap(),
                covariate_sum_squares: v["covariateSumSquares"].as_f64().unwrap(),
                revenue_covariate_sum: v["revenueCovariateSum"].as_f64().unwrap(),
                ..CellSummary::default()
            };
            let (c, t) = (cell(&case["args"]["control"]), cell(&case["args"]["treatment"]));
            let options = CompareOptions { difference: Difference::Absolute, ..CompareOptions::default() };
            let (r, theta) = compare(&c, &t, &options).unwrap();
            let want_theta = case["expected"]["theta"].as_f64().unwrap();
            let want_diff = case["expected"]["adjustedDifference"].as_f64().unwrap();
            assert!(
                (theta - want_theta).abs() <= 1e-9 * want_theta.abs(),
                "{}: θ {theta} vs {want_theta}",
                case["name"]
            );
            assert!((r.estimate - want_diff).abs() <= 1e-9 * want_diff.abs().max(1e-3), "{}", case["name"]);
        }
    }
}
