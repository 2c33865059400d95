#!/usr/bin/env python3
"""Exact coverage of candidate intervals for the difference p_t - p_c THROUGH segmetry's procedure, on the
calibration grid and on a wide sweep off it (docs/statistics.md, "Could another method close it?").

Usage:  python3 scripts/difference_interval_sweep.py [--windows]
Runs in the "stats" environment of scripts/pyenv.py; prints markdown tables only (no fixture). An independent
numpy/scipy implementation, not the code under test: every pair of binomial outcomes (each arm down to 1e-15 of
its mode) is enumerated, and each candidate's raw interval goes through the rule `compare` applies (the bound
nearest 0 moved to 0 where the interval's verdict at 0 differs from the p-value's: Barnard's exact test when
N <= 1000, Fisher's below Cochran's rule for larger tables, else the pooled normal test), so that the grid's
values are those of the calibration table (`exact_rate` in tests/stats_calibration.rs) for the method in use.

Candidates: Mee's score interval (segmetry's) at z, at Student's t with N - 2 degrees of freedom and at Barnard's
critical value where N <= 1000;
Miettinen-Nurminen (x N/(N-1)); Gart & Nam's (1990) skewness-corrected score interval (Mee's variance); Laud's
(2017) SCAS (Miettinen-Nurminen's variance, skewness-corrected); Newcombe's hybrid score interval (Wilson limits);
the exact unconditional interval of Chan & Zhang (1999) (two one-sided exact score tests at alpha/2, nuisance
maximised) and of Agresti & Min (2001) (one two-sided exact score test), both only where `compare` already uses
an exact test (N <= 1000); elsewhere they are Mee's. `--windows` prints, instead, the range of critical values
that keeps each unflagged grid cell with n <= 1000 inside its band, for four score forms.
"""
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pyenv  # noqa: E402

pyenv.use("stats")

import numpy as np  # noqa: E402
from scipy import optimize, stats  # noqa: E402

from gen_stats_fixtures import _score_np, _support, _wilson_np  # noqa: E402

ALPHA = 0.05
Z = stats.norm.isf(ALPHA / 2)
REPS = 10_000  # the full calibration tier's replications: the band is 0.95 +- 2 s.e. at R defined outcomes
EXACT_MAX_TRIALS = 1000  # src/stats/barnard.rs
GRID_RATES, GRID_NS = (0.001, 0.005, 0.02, 0.1, 0.5), (50, 200, 1000, 10000, 100000)


def pooled_z(x1, n1, x0, n0):
    """Pooled z of treatment (x1, n1) vs control (x0, n0); 0 where undefined (as Barnard's test counts it)."""
    k, n = x0 + x1, n0 + n1
    pb = k / n
    with np.errstate(all="ignore"):
        z = (x1 / n1 - x0 / n0) / np.sqrt(pb * (1 - pb) * (1 / n1 + 1 / n0))
    return np.where(np.isfinite(z), z, 0.0)


def _sup_over(prob, lo, hi, points=801):
    """sup of prob on [lo, hi]: a grid, then scipy's bounded maximiser around the 6 best grid points."""
    grid = np.linspace(lo, hi, points)
    vals = np.array([prob(t) for t in grid])
    best, step = vals.max(), grid[1] - grid[0]
    for i in np.argsort(vals)[::-1][:6]:
        a, b = max(grid[i] - step, lo), min(grid[i] + step, hi)
        r = optimize.minimize_scalar(lambda t: -prob(t), bounds=(a, b), method="bounded", options={"xatol": 1e-12})
        best = max(best, -r.fun)
    return best


def _binom_rows(n, p):
    return stats.binom.pmf(np.arange(n + 1), n, p)


def _critical(levels, size):
    """The smallest level s of the sorted `levels` with size(s) <= alpha (size decreasing in s), by bisection;
    inf if none. A table rejects iff its statistic >= s (the exact p-value is monotone in the statistic)."""
    lo, hi = 0, len(levels)
    while lo < hi:
        mid = (lo + hi) // 2
        if size(levels[mid]) < ALPHA:
            hi = mid
        else:
            lo = mid + 1
    return levels[lo] if lo < len(levels) else math.inf


_BARNARD = {}


def barnard_critical(n):
    """Two-sided Barnard test (pooled z, n per arm): reject iff |z| >= c(n) (p = sup_pi P(|Z| >= |z_obs|) < alpha;
    ties within 1e-9 relative, as src/stats/barnard.rs and scripts/barnard_reference.py)."""
    if n not in _BARNARD:
        x = np.arange(n + 1, dtype=float)
        az = np.abs(pooled_z(x[None, :], n, x[:, None], n))  # [x0, x1]
        levels = np.unique(np.round(az, 9))
        levels = levels[levels > 0]

        def size(s):
            region = (az >= s - 1e-9 * max(s, 1)) * 1.0

            def prob(theta):
                b = _binom_rows(n, math.sin(theta) ** 2)
                return float(b @ region @ b)
            return _sup_over(prob, 0.0, math.pi / 2)
        _BARNARD[n] = _critical(levels, size)
    return _BARNARD[n]


def check_barnard(n=50):
    """barnard_critical against scipy.stats.barnard_exact(pooled=True): the tables at the critical |z| and at the
    level just below it must fall on either side of alpha."""
    c = barnard_critical(n)
    x = np.arange(n + 1.0)
    az = np.abs(pooled_z(x[None, :], n, x[:, None], n))
    levels = np.unique(np.round(az, 9))
    i = np.searchsorted(levels, c)
    for level, rejects_here in ((levels[i - 1], False), (levels[i], True)):
        x0, x1 = (int(v[0]) for v in np.where(np.abs(az - level) < 1e-8))
        p = stats.barnard_exact([[x1, x0], [n - x1, n - x0]], pooled=True, n=200).pvalue
        assert (p < ALPHA) == rejects_here, ("barnard_critical", n, level, p)


def fisher_reject(x0, x1, n):
    """Fisher's two-sided exact test (pmf <= pmf(obs)(1 + 1e-7), as src/stats/fisher.rs) at alpha, per outcome."""
    out = np.zeros(x0.shape, bool)
    for k in np.unique(x0 + x1):
        sel = (x0 + x1) == k
        xs = np.arange(max(0, k - n), min(n, k) + 1)
        pmf = stats.hypergeom.pmf(xs, 2 * n, n, k)
        p = {x: pmf[pmf <= pmf[i] * (1 + 1e-7)].sum() for i, x in enumerate(xs)}
        out[sel] = [p[v] < ALPHA for v in x0[sel]]
    return out


def rejects(x0, x1, n):
    """Does `compare`'s p-value reject "no difference" at alpha (two-sided)? Barnard when N <= 1000, Fisher's exact
    test below Cochran's rule (smallest expected count < 5), else the normal tail of the pooled z."""
    z = np.abs(pooled_z(x1, n, x0, n))
    if 2 * n <= EXACT_MAX_TRIALS:
        c = barnard_critical(n)
        return z >= c - 1e-9 * max(c, 1)
    k = x0 + x1
    small = n * np.minimum(k, 2 * n - k) / (2 * n) < 5
    out = z > Z
    if small.any():
        out[small] = fisher_reject(x0[small], x1[small], n)
    return out


# ---- candidates: each returns the position of d relative to the interval, -1 below, 0 inside, +1 above ----

def _score_position(mn=False, skew=False, q=lambda n: Z):
    def pos(x1, x0, n, d):
        t = _score_np(x1, n, x0, n, np.full(x1.shape, float(d)), False, mn=mn, skew=skew)
        return np.where(t > q(n), -1, np.where(t < -q(n), 1, 0))
    return pos


def _newcombe(x1, x0, n, d):
    p1, p0 = x1 / n, x0 / n
    (l1, u1), (l0, u0) = _wilson_np(x1, n, Z), _wilson_np(x0, n, Z)
    est = p1 - p0
    lo, hi = est - np.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2), est + np.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    return np.where(d < lo, -1, np.where(d > hi, 1, 0))


_EXACT = {}


def _exact_regions(n, d, kind):
    """Acceptance of H0: p_t - p_c = d by the exact unconditional score test (nuisance p_c maximised over its
    range): 'cz' Chan & Zhang (1999), each one-sided tail at alpha/2; 'am' Agresti & Min (2001), |Z| two-sided.
    Returns the position array [x0, x1] (-1: d below the interval, i.e. Z(d) too large; +1 above)."""
    key = (n, round(d, 15), kind)
    if key not in _EXACT:
        x = np.arange(n + 1, dtype=float)
        x0, x1 = np.meshgrid(x, x, indexing="ij")
        t = _score_np(x1, n, x0, n, np.full(x0.shape, d), False)
        t = np.where(np.isfinite(t), t, 0.0)
        lo, hi = max(0.0, -d), min(1.0, 1.0 - d)

        def size(region):
            def prob(p):
                return float(_binom_rows(n, p) @ region @ _binom_rows(n, p + d))
            return _sup_over(prob, lo, hi, points=401)

        def crit(stat, level):
            levels = np.unique(np.round(stat[stat > 0], 9))
            return _critical(levels, lambda s: size((stat >= s - 1e-9 * max(s, 1)) * 1.0) * level)
        if kind == "cz":
            up, down = crit(t, 2.0), crit(-t, 2.0)
            pos = np.where(t >= up - 1e-9 * max(up, 1), -1, np.where(-t >= down - 1e-9 * max(down, 1), 1, 0))
        else:
            c = crit(np.abs(t), 1.0)
            pos = np.where(np.abs(t) >= c - 1e-9 * max(c, 1), np.where(t > 0, -1, 1), 0)
        _EXACT[key] = pos
    return _EXACT[key]


def _exact(kind):
    mee = _score_position()

    def pos(x1, x0, n, d):
        if 2 * n > EXACT_MAX_TRIALS:
            return mee(x1, x0, n, d)
        table = _exact_regions(n, float(d), kind)
        return table[x0.astype(int), x1.astype(int)]
    return pos


CANDIDATES = {
    "Mee (now)": _score_position(),
    "Mee, t(N-2)": _score_position(q=lambda n: stats.t.isf(ALPHA / 2, 2 * n - 2)),
    "Miettinen-Nurminen": _score_position(mn=True),
    "Gart-Nam skewness": _score_position(skew=True),
    "SCAS (Laud 2017)": _score_position(mn=True, skew=True),
    "Newcombe (Wilson)": _newcombe,
    "Mee at Barnard's critical value (N<=1000)": _score_position(
        q=lambda n: barnard_critical(n) if 2 * n <= EXACT_MAX_TRIALS else Z),
    "Chan-Zhang exact (N<=1000)": _exact("cz"),
    "Agresti-Min exact (N<=1000)": _exact("am"),
}


def cell(pc, pt, n, names, max_pairs=400_000):
    """Exact coverage of d = pt - pc through compare's rule for each candidate; plus the band's half-width and
    whether most defined outcomes are flagged `unreliable:` (Cochran). None when too many outcome pairs."""
    (xc, wc), (xt, wt) = _support(n, pc), _support(n, pt)
    if len(xc) * len(xt) > max_pairs:
        return None
    x0, x1 = np.meshgrid(xc, xt, indexing="ij")
    w = np.outer(wc, wt)
    defined = ~(((x0 == 0) & (x1 == 0)) | ((x0 == n) & (x1 == n)))
    x0, x1, w = x0[defined], x1[defined], w[defined]
    total_defined = w.sum() / np.outer(wc, wt).sum()
    w = w / w.sum()
    k = x0 + x1
    flagged = w[n * np.minimum(k, 2 * n - k) / (2 * n) < 5].sum() > 0.5
    reject = rejects(x0, x1, n)
    est = x1 / n - x0 / n
    d = pt - pc
    out = []
    for name in names:
        pos_d, pos_0 = CANDIDATES[name](x1, x0, n, d), CANDIDATES[name](x1, x0, n, 0.0)
        covered = pos_d == 0
        # widened to include 0 where only the interval excludes it, cut at 0 where only the test rejects
        widen = ~reject & (pos_0 != 0)
        above = widen & (pos_0 == -1)
        below = widen & (pos_0 == 1)
        covered = np.where(above, (d >= 0) & (pos_d <= 0), covered)
        covered = np.where(below, (d <= 0) & (pos_d >= 0), covered)
        cut = reject & (pos_0 == 0)
        covered = np.where(cut, covered & (np.sign(est) == np.sign(d)), covered)
        out.append(float(w[covered].sum()))
    half = 2 * math.sqrt(0.95 * 0.05 / max(round(total_defined * REPS), 1))
    return out, half, flagged


def summary(rows, names):
    """rows: (coverages, half-width, flagged). Markdown summary over the unflagged rows."""
    lines = ["| method | mean | min | max | mean abs. error | outside 0.95 ± 2 s.e. | below 0.9456 |",
             "|---|---|---|---|---|---|---|"]
    cov = np.array([r[0] for r in rows])
    half = np.array([r[1] for r in rows])
    for i, name in enumerate(names):
        c = cov[:, i]
        outside = np.abs(c - 0.95) > half
        lines.append(f"| {name} | {c.mean():.5f} | {c.min():.5f} | {c.max():.5f} | {np.abs(c - 0.95).mean():.5f} | "
                     f"{outside.mean():.1%} ({outside.sum()}) | {np.mean(c < 0.95 - 0.0044):.1%} |")
    return "\n".join(lines)


def critical_value_windows():
    """For each unflagged exact grid cell with n <= 1000 and each score interval (Mee, Miettinen-Nurminen,
    Gart-Nam, SCAS), the range of critical values q (scanned in steps of 0.0005 from 1.95 to 2.06, in place of z)
    whose interval, through compare's rule, keeps the cell inside 0.95 +- 2 s.e. A critical value that depends on
    N only (Student's t, Barnard's critical value, any small-sample factor) closes the grid only if the windows of
    the cells with the same N overlap."""
    qs = np.round(np.arange(1.95, 2.0601, 0.0005), 4)
    forms = {"Mee": {}, "Miettinen-Nurminen": {"mn": True}, "Gart-Nam": {"skew": True},
             "SCAS": {"mn": True, "skew": True}}
    print("| cell | " + " | ".join(f"{f}: q inside" for f in forms) + " |\n|---|" + "---|" * len(forms))
    for n in (50, 200, 1000):
        for pc in GRID_RATES:
            row = []
            for kw in forms.values():
                CANDIDATES.clear()
                CANDIDATES.update({q: _score_position(q=lambda n, q=q: q, **kw) for q in qs})
                got = cell(pc, 1.2 * pc, n, list(qs))
                if got is None or got[2]:
                    break
                inside = [q for q, c in zip(qs, got[0]) if abs(c - 0.95) <= got[1]]
                # the windows are intervals of q (coverage grows with q); print their ends
                low = "≤" if inside and inside[0] == qs[0] else f"{inside[0]:.4f}-" if inside else ""
                row.append(f"{low} {inside[-1]:.4f}".strip() if inside else "none")
            if len(row) == len(forms):
                print(f"| {pc * 100:g} % × {n} | " + " | ".join(row) + " |")


def main():
    if "--windows" in sys.argv:
        critical_value_windows()
        return
    check_barnard()
    names = list(CANDIDATES)
    cheap = [n for n in names if "exact" not in n]
    print("## The calibration grid (true lift +20 %; absolute difference)\n")
    print("| cell | " + " | ".join(names) + " |\n|---|" + "---|" * len(names))
    grid = []
    for pc in GRID_RATES:
        for n in GRID_NS:
            got = cell(pc, 1.2 * pc, n, names)
            if got:
                marks = [f"{c:.5f}" + ("" if got[2] or abs(c - 0.95) <= got[1] else " ✗") for c in got[0]]
                print(f"| {pc * 100:g} % × {n}{' (flagged)' if got[2] else ''} | " + " | ".join(marks) + " |")
                grid.append(got)
        sys.stdout.flush()
    print(f"\nUnflagged exact grid cells: {sum(not g[2] for g in grid)}\n")
    print(summary([g for g in grid if not g[2]], names))
    print("\n## Off the grid\n")
    rates = np.geomspace(0.01, 0.6, 12)
    lifts = (-0.3, -0.2, -0.1, 0.1, 0.2, 0.3)
    ns = (20, 30, 50, 75, 100, 150, 200, 300, 500, 1000, 2000)
    off, flagged_count = [], 0
    for n in ns:
        for pc in rates:
            for lift in lifts:
                got = cell(pc, pc * (1 + lift), n, cheap)
                if got is None:
                    continue
                if got[2]:
                    flagged_count += 1
                else:
                    off.append(got)
        print(f"(n = {n} done: {len(off)} unflagged cells so far)", file=sys.stderr, flush=True)
    print(f"{len(off)} cells not flagged by Cochran's rule ({flagged_count} flagged cells left out): control rates "
          f"{rates[0]:.0%}-{rates[-1]:.0%} ({len(rates)}, geometric), lifts {', '.join(f'{v:+.0%}' for v in lifts)},"
          f" n per arm {', '.join(map(str, ns))}\n")
    print(summary(off, cheap))
    # The exact intervals differ from Mee's only where N <= 1000; they cost seconds per cell, so they are compared
    # with Mee's on every other control rate of that part of the sweep, n <= 200.
    small = []
    for n in (20, 30, 50, 75, 100, 150, 200):
        for pc in rates[::2]:
            for lift in lifts:
                got = cell(pc, pc * (1 + lift), n, names)
                if got and not got[2]:
                    small.append(got)
        print(f"(exact, n = {n} done)", file=sys.stderr, flush=True)
    print(f"\nThe part where the exact intervals apply: {len(small)} unflagged cells, control rates "
          f"{', '.join(f'{r:.1%}' for r in rates[::2])}, the same lifts, n per arm 20-200\n")
    print(summary(small, names))


if __name__ == "__main__":
    main()
