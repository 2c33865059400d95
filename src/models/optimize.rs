//! Small-dimension unconstrained minimisation for maximum-likelihood fits: BFGS with an Armijo backtracking line
//! search and analytic gradients, several starting points, and the observed-information (Hessian) matrix by
//! central differences of the analytic gradient.
//!
//! The models optimise log-parameters, so the search space is all of ℝⁿ; a step that makes the objective
//! non-finite (an overflow far from the optimum) is simply shortened, which keeps the search robust without bounds.

/// An objective: writes the gradient into its second argument and returns the value (may be non-finite).
pub trait Objective {
    /// Value at `x`; `gradient` receives ∂f/∂x (same length as `x`).
    fn eval(&mut self, x: &[f64], gradient: &mut [f64]) -> f64;
}

impl<F: FnMut(&[f64], &mut [f64]) -> f64> Objective for F {
    fn eval(&mut self, x: &[f64], gradient: &mut [f64]) -> f64 {
        self(x, gradient)
    }
}

/// Where a minimisation ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    /// The minimiser found.
    pub x: Vec<f64>,
    /// The objective there.
    pub value: f64,
    /// Largest absolute gradient component there.
    pub gradient_norm: f64,
    /// BFGS iterations used.
    pub iterations: usize,
    /// Whether the gradient tolerance was met (otherwise the iteration limit or a stalled line search ended it).
    pub converged: bool,
    /// The final BFGS inverse-Hessian approximation, to warm-start another run near this point.
    pub inverse_hessian: Vec<Vec<f64>>,
}

/// BFGS settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BfgsOptions {
    /// Stop when every gradient component is below this.
    pub gradient_tolerance: f64,
    /// Stop after this many iterations.
    pub max_iterations: usize,
    /// Longest step (max-norm in x) tried by the line search, so a poor start cannot jump to overflow.
    pub max_step: f64,
}

impl Default for BfgsOptions {
    fn default() -> Self {
        BfgsOptions { gradient_tolerance: 1e-9, max_iterations: 500, max_step: 2.0 }
    }
}

/// Shortest line-search step (max-norm change of x) tried. The models' x are log-parameters, so this is a
/// relative change of 10⁻¹⁰ in a parameter: far below any digit the fits report.
const MIN_STEP: f64 = 1e-10;

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0_f64, |m, x| m.max(x.abs()))
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Minimise `f` from `x0` with BFGS (inverse-Hessian update, skipped when the curvature condition fails).
pub fn bfgs(f: &mut impl Objective, x0: &[f64], options: &BfgsOptions) -> Minimum {
    bfgs_from(f, x0, identity(x0.len()), options)
}

/// [`bfgs`] starting from the inverse-Hessian approximation `h` (e.g. [`Minimum::inverse_hessian`] of a run on a
/// similar objective), which saves the iterations BFGS would spend learning the curvature.
pub fn bfgs_from(f: &mut impl Objective, x0: &[f64], mut h: Vec<Vec<f64>>, options: &BfgsOptions) -> Minimum {
    let n = x0.len();
    let mut x = x0.to_vec();
    let mut g = vec![0.0; n];
    let mut value = f.eval(&x, &mut g);
    let (mut x_new, mut g_new) = (vec![0.0; n], vec![0.0; n]);
    let mut iterations = 0;
    while iterations < options.max_iterations {
        if !value.is_finite() || max_abs(&g) < options.gradient_tolerance {
            break;
        }
        // A cancel stops the search here (one objective evaluation per iteration at least); the model's caller
        // checks again after the fit and returns CANCELLED instead of this unfinished minimum.
        if crate::cancel::checkpoint(crate::cancel::Phase::Fit, iterations as u64, options.max_iterations as u64)
            .is_err()
        {
            break;
        }
        iterations += 1;
        let mut direction: Vec<f64> = (0..n).map(|i| -dot(&h[i], &g)).collect();
        if dot(&direction, &g) >= 0.0 {
            // Not a descent direction (numerical trouble): restart from steepest descent.
            h = identity(n);
            direction = g.iter().map(|v| -v).collect();
        }
        let longest = max_abs(&direction);
        let mut step = if longest > options.max_step { options.max_step / longest } else { 1.0 };
        let slope = dot(&direction, &g);
        let mut accepted = None;
        // Halve until the step would move x by less than MIN_STEP: below that the objective's rounding noise
        // decides, and each further try costs a full evaluation (on a million rows, most of the fit's time).
        while step * longest >= MIN_STEP {
            for i in 0..n {
                x_new[i] = x[i] + step * direction[i];
            }
            let v = f.eval(&x_new, &mut g_new);
            if v.is_finite() && v <= value + 1e-4 * step * slope {
                accepted = Some(v);
                break;
            }
            step *= 0.5;
        }
        let Some(v_new) = accepted else { break };
        let s: Vec<f64> = (0..n).map(|i| x_new[i] - x[i]).collect();
        let y: Vec<f64> = (0..n).map(|i| g_new[i] - g[i]).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 * dot(&s, &s).sqrt() * dot(&y, &y).sqrt() {
            update_inverse_hessian(&mut h, &s, &y, sy);
        }
        let improvement = value - v_new;
        x.copy_from_slice(&x_new);
        g.copy_from_slice(&g_new);
        value = v_new;
        if improvement.abs() <= f64::EPSILON * value.abs().max(1.0) && max_abs(&g) < options.gradient_tolerance * 1e3 {
            break; // at the floating-point floor of the objective
        }
    }
    let gradient_norm = max_abs(&g);
    Minimum {
        x,
        value,
        gradient_norm,
        iterations,
        converged: value.is_finite() && gradient_norm < options.gradient_tolerance * 1e3,
        inverse_hessian: h,
    }
}

/// H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ with ρ = 1 / (yᵀ s).
fn update_inverse_hessian(h: &mut [Vec<f64>], s: &[f64], y: &[f64], sy: f64) {
    let n = s.len();
    let rho = 1.0 / sy;
    let hy: Vec<f64> = (0..n).map(|i| dot(&h[i], y)).collect();
    let yhy = dot(y, &hy);
    for i in 0..n {
        for j in 0..n {
            h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
    }
}

fn identity(n: usize) -> Vec<Vec<f64>> {
    (0..n).map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect()).collect()
}

/// Run [`bfgs`] from each start and keep the lowest finite minimum (`None` if every start ended non-finite).
pub fn multi_start(f: &mut impl Objective, starts: &[Vec<f64>], options: &BfgsOptions) -> Option<Minimum> {
    let mut best: Option<Minimum> = None;
    for start in starts {
        let m = bfgs(f, start, options);
        if m.value.is_finite() && best.as_ref().is_none_or(|b| m.value < b.value) {
            best = Some(m);
        }
    }
    best
}

/// Minimise a mean log-likelihood over many rows cheaply: [`multi_start`] on `sample` (a small, representative
/// subset whose objective is also a mean, so values and curvature are on the same scale), then one [`bfgs_from`]
/// run on `full` from the sample's best point and curvature. The search for the basin happens on the cheap
/// objective; the expensive one only polishes (a handful of iterations), and the result is `full`'s optimum.
pub fn coarse_to_fine(
    full: &mut impl Objective,
    sample: &mut impl Objective,
    starts: &[Vec<f64>],
    options: &BfgsOptions,
) -> Option<Minimum> {
    let coarse = multi_start(sample, starts, options)?;
    let fine = bfgs_from(full, &coarse.x, coarse.inverse_hessian.clone(), options);
    if fine.value.is_finite() {
        return Some(fine);
    }
    // The sample's optimum is not finite on the full data (extreme rows only there): search the full data.
    multi_start(full, starts, options)
}

/// The Hessian of `f` at `x` by central differences of its analytic gradient (step `h` in each coordinate),
/// symmetrised.
#[allow(clippy::needless_range_loop)] // (i, j) and (j, i) of one matrix: indices read clearer than iterators
pub fn hessian(f: &mut impl Objective, x: &[f64], h: f64) -> Vec<Vec<f64>> {
    let n = x.len();
    let mut rows = vec![vec![0.0; n]; n];
    let (mut plus, mut minus) = (vec![0.0; n], vec![0.0; n]);
    let mut xs = x.to_vec();
    for j in 0..n {
        xs[j] = x[j] + h;
        f.eval(&xs, &mut plus);
        xs[j] = x[j] - h;
        f.eval(&xs, &mut minus);
        xs[j] = x[j];
        for i in 0..n {
            rows[i][j] = (plus[i] - minus[i]) / (2.0 * h);
        }
    }
    for i in 0..n {
        for j in 0..i {
            let m = 0.5 * (rows[i][j] + rows[j][i]);
            rows[i][j] = m;
            rows[j][i] = m;
        }
    }
    rows
}

/// The inverse of a square matrix by Gauss–Jordan elimination with partial pivoting; `None` when singular.
pub fn invert(matrix: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = matrix.len();
    let mut a: Vec<Vec<f64>> = matrix.to_vec();
    let mut inv = identity(n);
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].is_nan() || a[pivot][col].abs() <= 1e-300 {
            return None;
        }
        a.swap(col, pivot);
        inv.swap(col, pivot);
        let p = a[col][col];
        for j in 0..n {
            a[col][j] /= p;
            inv[col][j] /= p;
        }
        for i in 0..n {
            if i != col {
                let factor = a[i][col];
                for j in 0..n {
                    a[i][j] -= factor * a[col][j];
                    inv[i][j] -= factor * inv[col][j];
                }
            }
        }
    }
    Some(inv)
}

/// Standard errors of the natural parameters θ = exp(x) from the Hessian (in x) of the **total** negative
/// log-likelihood at the optimum: by the delta method Var(θᵢ) = θᵢ² [H⁻¹]ᵢᵢ. `None` for a parameter whose variance
/// is not positive (the information matrix is not positive definite there).
pub fn log_space_standard_errors(hessian_total: &[Vec<f64>], log_params: &[f64]) -> Vec<Option<f64>> {
    let Some(inv) = invert(hessian_total) else { return vec![None; log_params.len()] };
    log_params
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let v = inv[i][i];
            (v > 0.0 && v.is_finite()).then(|| x.exp() * v.sqrt())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rosenbrock() {
        let mut f = |x: &[f64], g: &mut [f64]| {
            let (a, b) = (1.0 - x[0], x[1] - x[0] * x[0]);
            g[0] = -2.0 * a - 400.0 * x[0] * b;
            g[1] = 200.0 * b;
            a * a + 100.0 * b * b
        };
        let m = bfgs(&mut f, &[-1.2, 1.0], &BfgsOptions::default());
        assert!(m.converged, "{m:?}");
        assert!((m.x[0] - 1.0).abs() < 1e-6 && (m.x[1] - 1.0).abs() < 1e-6, "{m:?}");
    }

    #[test]
    fn non_finite_regions_shorten_the_step() {
        // ln-barrier: f is +∞ for x ≤ 0; the minimum of x − ln x is at 1.
        let mut f = |x: &[f64], g: &mut [f64]| {
            g[0] = 1.0 - 1.0 / x[0];
            if x[0] > 0.0 {
                x[0] - x[0].ln()
            } else {
                f64::INFINITY
            }
        };
        let m = bfgs(&mut f, &[5.0], &BfgsOptions::default());
        assert!((m.x[0] - 1.0).abs() < 1e-6, "{m:?}");
    }

    #[test]
    fn inverse_and_hessian() {
        let a = vec![vec![4.0, 1.0], vec![1.0, 3.0]];
        let inv = invert(&a).unwrap();
        assert!((inv[0][0] - 3.0 / 11.0).abs() < 1e-15 && (inv[0][1] + 1.0 / 11.0).abs() < 1e-15);
        assert!(invert(&[vec![1.0, 2.0], vec![2.0, 4.0]]).is_none());
        let mut f = |x: &[f64], g: &mut [f64]| {
            g[0] = 4.0 * x[0] + x[1];
            g[1] = x[0] + 3.0 * x[1];
            0.0
        };
        let h = hessian(&mut f, &[0.3, -0.2], 1e-4);
        assert!((h[0][0] - 4.0).abs() < 1e-9 && (h[0][1] - 1.0).abs() < 1e-9 && (h[1][1] - 3.0).abs() < 1e-9);
    }
}
