"""Barnard's exact unconditional test as the fixture generators' independent reference (brute force, no segmetry
code): gen_stats_fixtures.py checks it against scipy.stats.barnard_exact and writes `compare` cases with it,
gen_analysis_fixtures.py the analysis's small-sample p-values."""

import functools
import math

import numpy as np
from scipy import stats


@functools.lru_cache(None)
def barnard_ref(xc, nc, xt, nt, alt):
    """Barnard's exact unconditional test with the pooled z (sup over the common rate pi), by brute force: every
    table (x_c, x_t), z = 0 where undefined, region z >= z_obs (|z|, -z) up to a 1e-9 relative tie tolerance,
    P_pi(region) on a dense grid of theta = asin(sqrt(pi)) refined by scipy's bounded minimiser around the best
    points. Cross-checked against scipy.stats.barnard_exact(pooled=True) in gen_compare."""
    from scipy import optimize
    a = np.arange(nc + 1)[:, None].astype(float)
    b = np.arange(nt + 1)[None, :].astype(float)
    N = nc + nt
    pool = (a + b) / N
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (b / nt - a / nc) / np.sqrt(pool * (1 - pool) * (1 / nc + 1 / nt))
    z = np.where(np.isfinite(z), z, 0.0)
    pb = (xc + xt) / N
    z0 = (xt / nt - xc / nc) / math.sqrt(pb * (1 - pb) * (1 / nc + 1 / nt)) if 0 < pb < 1 else 0.0
    tol = 1e-9 * max(abs(z0), 1.0)
    region = {"two-sided": np.abs(z) >= abs(z0) - tol, "greater": z >= z0 - tol, "less": z <= z0 + tol}[alt] * 1.0

    def prob(theta):
        pi = math.sin(theta) ** 2
        return float(stats.binom.pmf(np.arange(nc + 1), nc, pi) @ region @ stats.binom.pmf(np.arange(nt + 1), nt, pi))
    grid = np.linspace(0, math.pi / 2, 2001)
    vals = np.array([prob(t) for t in grid])
    best, step = vals.max(), grid[1] - grid[0]
    for i in np.argsort(vals)[::-1][:8]:
        lo, hi = max(grid[i] - step, 0), min(grid[i] + step, math.pi / 2)
        r = optimize.minimize_scalar(lambda t: -prob(t), bounds=(lo, hi), method="bounded", options={"xatol": 1e-13})
        best = max(best, -r.fun)
    return min(best, 1.0)
