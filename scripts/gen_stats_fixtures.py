#!/usr/bin/env python3
"""Generate reference fixtures for segmetry's stats module from independent implementations.

Usage:  python3 scripts/gen_stats_fixtures.py
Runs in the "stats" environment of scripts/pyenv.py (scipy, statsmodels, mpmath, gbstats) and writes tests/fixtures/stats/<function>.json. The fixtures change only by re-running this.

Each file: {"function": ..., "reference": ..., "cases": [{"name", "args": {...}, "expected": {...}}]}.
Non-finite numbers are written as the strings "nan", "inf", "-inf" (JSON has no such literals).
Conventions follow the segmetry API: control first, treatment second, differences are treatment - control.
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "stats")


import pyenv  # noqa: E402

pyenv.use("stats")

import math  # noqa: E402

import mpmath as mp  # noqa: E402
import numpy as np  # noqa: E402
from barnard_reference import barnard_ref  # noqa: E402
from scipy import integrate, stats  # noqa: E402
from statsmodels.stats._inference_tools import _mover_confint  # noqa: E402
from statsmodels.stats.multitest import multipletests  # noqa: E402
from statsmodels.stats.proportion import (  # noqa: E402
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
    score_test_proportions_2indep,
)

mp.mp.dps = 40


def beta_ppf_mp(a, b, p, upper=False):
    """Beta(a, b) quantile at 40 digits: root of ln I_x(a, b) = ln p (upper: ln(1 - I_x) = ln p) in ln x,
    started from scipy's value. Used instead of scipy's beta.ppf/isf, which is off by up to 1e-8 relative for
    shape parameters near 1e9."""
    if a > b and a > 1e5:
        # X ~ Beta(a, b) is 1 - Beta(b, a): solve for the small 1 - x (mpmath's 2F1 struggles with x near 1)
        return 1 - beta_ppf_mp(b, a, p, upper=not upper)
    a, b, p = mp.mpf(a), mp.mpf(b), mp.mpf(p)
    x0 = float(stats.beta.isf(float(p), float(a), float(b)) if upper else stats.beta.ppf(float(p), float(a), float(b)))
    f = lambda x: mp.log(beta_tail_mp(a, b, x, upper)) - mp.log(p)
    x0 = mp.mpf(x0)
    lo, hi = x0 * (1 - mp.mpf(10) ** -5), min(x0 * (1 + mp.mpf(10) ** -5), (1 + x0) / 2)
    assert f(lo) * f(hi) < 0, (a, b, p, upper)
    return mp.findroot(f, (lo, hi), solver="anderson", tol=mp.mpf(10) ** -60)


def beta_tail_mp(a, b, x, upper):
    """I_x(a, b) (upper: 1 - I_x) at 40 digits: mpmath's betainc (a 2F1 series), or, when both shapes are above
    1e5 or that series does not converge, mpmath quadrature of the log-space density over the smaller tail in
    steps of one standard deviation."""
    if min(a, b) < 10 ** 5:
        try:
            if upper:
                return mp.betainc(a, b, x, 1, regularized=True)
            return mp.betainc(a, b, 0, x, regularized=True)
        except (mp.libmp.libhyper.NoConvergence, ValueError):
            pass
    mean, sd = a / (a + b), mp.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    lnb = mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b)
    pdf = lambda u: mp.exp((a - 1) * mp.log(u) + (b - 1) * mp.log1p(-u) - lnb)
    # integrate the tail away from the mean; the other tail is 1 minus it
    away_up = x >= mean
    pts = [x + (j if away_up else -j) * sd for j in range(0, 48)]  # beyond 47 sd: below e^-1000
    pts = [u for u in pts if 0 < u < 1] + [mp.mpf(1) if away_up else mp.mpf(0)]
    pts = sorted(pts)
    tail = mp.quad(pdf, pts)
    return tail if away_up == upper else 1 - tail


def t_sf_mp(t, df):
    """Student t survival function at 40 digits (df = inf: normal)."""
    t = mp.mpf(t)
    if df == math.inf:
        return mp.ncdf(-t)
    df = mp.mpf(df)
    tail = mp.betainc(df / 2, mp.mpf(1) / 2, 0, df / (df + t * t), regularized=True) / 2
    return tail if t > 0 else 1 - tail


def t_isf_mp(q, df):
    """Upper Student t quantile at 40 digits (Newton from scipy's value)."""
    t0 = float(stats.t.isf(q, df))
    return mp.findroot(lambda t: t_sf_mp(t, df) - mp.mpf(q), mp.mpf(t0), tol=mp.mpf(10) ** -35)


def hyper_pmf_mp(x, r, b, n):
    """Hypergeometric pmf (x white among n drawn from r white, b black), exact via log-gamma at 40 digits."""
    lc = lambda m, k: mp.loggamma(m + 1) - mp.loggamma(k + 1) - mp.loggamma(m - k + 1)
    return mp.exp(lc(r, x) + lc(b, n - x) - lc(r + b, n))


def fisher_mp(tab, alt):
    """Fisher's exact p-value (scipy's convention with the rows flipped), summed exactly at 40 digits; terms
    are summed outward from the observed value / the far ends until they fall below 1e-45 of the sum."""
    (c, d), (a, b_) = tab
    r, bl, n = a + b_, c + d, a + c
    lo, hi = max(0, n - bl), min(n, r)
    pmf = lambda x: hyper_pmf_mp(x, r, bl, n)

    def tail(start, step, keep=lambda x: True):
        total, x = mp.mpf(0), start
        while lo <= x <= hi:
            p = pmf(x)
            if keep(x):
                total += p
            if p < mp.mpf(10) ** -45 * max(total, mp.mpf(10) ** -300):
                break
            x += step
        return total
    if alt == "greater":
        return tail(a, 1) if a >= n * r / (r + bl) else 1 - tail(a - 1, -1)
    if alt == "less":
        return tail(a, -1) if a <= n * r / (r + bl) else 1 - tail(a + 1, 1)
    bound = pmf(a) * (1 + mp.mpf(10) ** -7)
    mode = int((n + 1) * (r + 1) // (r + bl + 2))
    total = mp.mpf(0)
    # walk down from the mode and up from mode + 1, adding the qualifying terms, until the terms are negligible
    for start, step in ((mode, -1), (mode + 1, 1)):
        x = start
        while lo <= x <= hi:
            p = pmf(x)
            if p <= bound:
                total += p
                if p < mp.mpf(10) ** -45 * total:
                    break
            x += step
    return min(total, mp.mpf(1))


def num(x):
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def write(function, reference, cases):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, f"{function}.json"), "w") as f:
        json.dump({"function": function, "reference": reference, "cases": cases}, f, indent=1)
        f.write("\n")
    print(f"{function}: {len(cases)} cases")


# Proportion pairs (control, treatment) reused across the two-group tests: 0 and 100 %, n = 1, huge n, unequal
# allocations, rates down to 1e-6.
PAIRS = [
    ((100, 1000), (120, 1000)),
    ((0, 500), (3, 480)),
    ((500, 500), (499, 500)),
    ((0, 1), (1, 1)),
    ((1, 1), (1, 2)),
    ((12345, 100000), (11800, 99000)),
    ((30, 10_000_000), (52, 10_000_000)),  # 3e-6 rates
    ((1000, 1_000_000_000), (1100, 1_000_000_000)),  # 1e-6 rates, huge n
    ((50_000_000, 1_000_000_000), (50_060_000, 1_000_000_000)),
    ((200, 1000), (9000, 40000)),  # unequal allocation
    ((7, 20), (15, 22)),
    ((1, 3), (0, 3)),
    ((400, 1000), (900, 1000)),  # p-value far below 1e-100
]


def prop(s, n):
    return {"successes": s, "trials": n}


def gen_proportion_interval():
    methods = {"wilson": "wilson", "agresti-coull": "agresti_coull", "clopper-pearson": "beta", "wald": "normal", "jeffreys": "jeffreys"}
    counts = [(0, 10), (10, 10), (1, 1), (0, 1), (3, 10), (50, 100), (1, 1_000_000), (999_999, 1_000_000),
              (1, 1_000_000_000), (123_456_789, 1_000_000_000), (5, 7), (17, 2000)]
    cases = []
    for method, sm in methods.items():
        for conf in (0.95, 0.99, 0.8):
            for s, n in counts:
                lo, hi = proportion_confint(s, n, alpha=1 - conf, method=sm)
                if method in ("clopper-pearson", "jeffreys"):
                    # statsmodels uses scipy beta.ppf, off by up to 1e-8 for n = 1e9: recompute with mpmath
                    a2 = (1 - conf) / 2
                    if method == "clopper-pearson":
                        mlo = 0.0 if s == 0 else beta_ppf_mp(s, n - s + 1, a2)
                        mhi = 1.0 if s == n else beta_ppf_mp(s + 1, n - s, a2, upper=True)
                    else:
                        mlo, mhi = beta_ppf_mp(s + 0.5, n - s + 0.5, a2), beta_ppf_mp(s + 0.5, n - s + 0.5, a2, upper=True)
                    assert abs(float(mlo) - lo) <= 1e-7 * abs(lo) + 1e-300 and abs(float(mhi) - hi) <= 1e-7 * abs(hi), (method, s, n, conf)
                    lo, hi = float(mlo), float(mhi)
                lo, hi = min(max(lo, 0.0), 1.0), min(max(hi, 0.0), 1.0)
                cases.append({"name": f"{method} {s}/{n} @{conf}",
                              "args": {"successes": s, "trials": n, "options": {"method": method, "confidence": conf}},
                              "expected": {"estimate": num(s / n), "lower": num(lo), "upper": num(hi)}})
    write("proportionInterval", "statsmodels.stats.proportion.proportion_confint (bounds clipped to [0,1]); clopper-pearson and jeffreys bounds recomputed with mpmath (40 digits)", cases)


def gen_ztest():
    cases = []
    for (c, t) in PAIRS:
        for alt, sm in (("two-sided", "two-sided"), ("greater", "larger"), ("less", "smaller")):
            pooled = (c[0] + t[0]) / (c[1] + t[1])
            if pooled in (0.0, 1.0):
                exp = {"statistic": "nan", "pValue": "nan", "difference": num(t[0] / t[1] - c[0] / c[1])}
            else:
                # statsmodels computes the p-value with norm.sf; recompute with mpmath for p-values below 1e-300
                z, p = proportions_ztest([t[0], c[0]], [t[1], c[1]], alternative=sm)
                zz = mp.mpf(z)
                pm = {"two-sided": 2 * mp.ncdf(-abs(zz)), "greater": mp.ncdf(-zz), "less": mp.ncdf(zz)}[alt]
                exp = {"statistic": num(z), "pValue": num(pm), "difference": num(t[0] / t[1] - c[0] / c[1])}
                assert p == 0 or abs(p - float(pm)) <= 1e-10 * float(pm), (p, pm)
            cases.append({"name": f"{c} vs {t} {alt}",
                          "args": {"control": prop(*c), "treatment": prop(*t), "options": {"alternative": alt}},
                          "expected": exp})
    write("twoProportionZTest", "statsmodels.stats.proportion.proportions_ztest (pooled); p from mpmath ncdf", cases)


def gen_difference():
    cases = []
    for (c, t) in PAIRS:
        for method in ("wald", "newcomb"):
            for conf in (0.95, 0.9):
                lo, hi = confint_proportions_2indep(t[0], t[1], c[0], c[1], method=method, compare="diff", alpha=1 - conf)
                cases.append({"name": f"{method} {c} vs {t} @{conf}",
                              "args": {"control": prop(*c), "treatment": prop(*t), "options": {"method": method, "confidence": conf}},
                              "expected": {"estimate": num(t[0] / t[1] - c[0] / c[1]),
                                           "lower": num(np.clip(lo, -1, 1)), "upper": num(np.clip(hi, -1, 1))}})
    write("proportionDifferenceInterval", "statsmodels confint_proportions_2indep(treatment, control, compare='diff') clipped to [-1,1]", cases)


def gen_chisq():
    tables = [[[100, 900], [120, 880]], [[0, 10], [5, 5]], [[3, 0], [0, 4]], [[1, 0], [0, 1]],
              [[10, 20], [30, 40], [50, 60]], [[1000, 999000], [1100, 998900], [1200, 998800]],
              [[50_000_000, 950_000_000], [50_060_000, 949_940_000]], [[400, 600], [900, 100]], [[0, 5], [0, 7]]]
    cases = []
    for tab in tables:
        for yates in (True, False):
            arr = np.array(tab, dtype=float)
            if (arr.sum(0) == 0).any() or (arr.sum(1) == 0).any():
                exp = {"statistic": "nan", "df": (len(tab) - 1), "pValue": "nan"}
            else:
                r = stats.chi2_contingency(arr, correction=yates)
                p = mp.gammainc(mp.mpf(r.dof) / 2, mp.mpf(r.statistic) / 2, mp.inf, regularized=True)
                exp = {"statistic": num(r.statistic), "df": num(r.dof), "pValue": num(p)}
            cases.append({"name": f"{tab} yates={yates}", "args": {"table": tab, "options": {"yates": yates}}, "expected": exp})
    write("chiSquareIndependence", "scipy.stats.chi2_contingency; p-value from mpmath regularized upper gamma", cases)


def gen_srm():
    data = [([5000, 5000], [1, 1]), ([5000, 5200], [0.5, 0.5]), ([10, 0], [1, 1]), ([1, 0, 0], [1, 1, 1]),
            ([33000, 33500, 34100], [1, 1, 1]), ([900_000, 100_300], [90, 10]), ([500_000_000, 500_050_000], [1, 1]),
            ([1000, 1500], [1, 1]), ([0, 0], [1, 1])]
    cases = []
    for obs, w in data:
        o = np.array(obs, float)
        if o.sum() == 0:
            exp = {"statistic": "nan", "df": len(obs) - 1, "pValue": "nan", "mismatch": False}
        else:
            e = o.sum() * np.array(w, float) / np.sum(w)
            r = stats.chisquare(o, e)
            p = mp.gammainc(mp.mpf(len(obs) - 1) / 2, mp.mpf(r.statistic) / 2, mp.inf, regularized=True)
            exp = {"statistic": num(r.statistic), "df": len(obs) - 1, "pValue": num(p), "mismatch": bool(p < 0.001)}
        cases.append({"name": f"{obs} {w}", "args": {"observedCounts": obs, "expectedWeights": w, "options": {}}, "expected": exp})
    write("srm", "scipy.stats.chisquare(observed, total*w/sum(w)); p from mpmath", cases)


def gen_fisher():
    tables = [[[100, 900], [120, 880]], [[0, 10], [5, 5]], [[3, 0], [0, 4]], [[1, 0], [0, 1]], [[5, 5], [5, 5]],
              [[2, 8], [8, 2]], [[10, 10], [3, 17]], [[0, 0], [3, 4]], [[1000, 999000], [1100, 998900]],
              [[30, 9_999_970], [52, 9_999_948]], [[7, 13], [15, 7]], [[400, 600], [900, 100]], [[0, 5], [0, 7]],
              # hypergeometric at n = 1e8 and 1e9 (scipy is not run on these; mpmath only)
              [[3000, 99_997_000], [3200, 99_996_800]], [[100, 999_999_900], [140, 999_999_860]],
              [[49_990_000, 950_010_000], [50_020_000, 949_980_000]]]
    cases = []
    for tab in tables:
        for alt in ("two-sided", "greater", "less"):
            flipped = [tab[1], tab[0]]  # scipy: first row is the one whose odds are in the numerator
            big = sum(map(sum, tab)) > 100_000_000
            r = None if big else stats.fisher_exact(flipped, alternative=alt)
            (c, d), (a, b) = tab
            odds = (a * d / (b * c) if b * c > 0 else (math.inf if a * d > 0 else math.nan)) if r is None else r.statistic
            if 0 in (a + b, c + d, a + c, b + d):
                p = 1.0
            else:
                # scipy's hypergeom loses ~eps*n in the log pmf (4e-9 at n = 1e7): exact sum with mpmath instead
                p = fisher_mp(tab, alt)
                if r is not None:
                    assert abs(float(p) - r.pvalue) <= 1e-7 * r.pvalue + 1e-300, (tab, alt, p, r.pvalue)
            cases.append({"name": f"{tab} {alt}", "args": {"table": tab, "options": {"alternative": alt}},
                          "expected": {"oddsRatio": num(odds), "pValue": num(p)}})
    write("fisherExact", "exact hypergeometric sums in mpmath (40 digits); cross-checked against scipy.stats.fisher_exact(table[::-1]) to 1e-7", cases)


def gen_ttest():
    groups = [((10.0, 4.0, 100), (10.5, 4.5, 120)), ((0.0, 1.0, 2), (1.0, 2.0, 3)), ((5.0, 0.0, 50), (5.0, 0.0, 50)),
              ((3.2, 10.0, 1_000_000_000), (3.2001, 10.0, 1_000_000_000)), ((100.0, 2500.0, 30), (90.0, 100.0, 3000)),
              ((1.0, 1.0, 1000), (1.5, 1.0, 1000)), ((20.0, 1.0, 10_000), (21.0, 1.0, 10_000))]
    cases = []
    for (c, t) in groups:
        for eq in (False, True):
            for alt in ("two-sided", "greater", "less"):
                args = {"control": {"mean": c[0], "variance": c[1], "n": c[2]},
                        "treatment": {"mean": t[0], "variance": t[1], "n": t[2]},
                        "options": {"equalVariance": eq, "alternative": alt}}
                with np.errstate(all="ignore"):
                    r = stats.ttest_ind_from_stats(t[0], math.sqrt(t[1]), t[2], c[0], math.sqrt(c[1]), c[2], equal_var=eq, alternative=alt)
                if eq:
                    df = t[2] + c[2] - 2
                    se = math.sqrt(((t[2] - 1) * t[1] + (c[2] - 1) * c[1]) / df * (1 / t[2] + 1 / c[2]))
                else:
                    vt, vc = t[1] / t[2], c[1] / c[2]
                    se = math.sqrt(vt + vc)
                    df = (vt + vc) ** 2 / (vt ** 2 / (t[2] - 1) + vc ** 2 / (c[2] - 1)) if se > 0 else float("nan")
                if se == 0:
                    exp = {"statistic": "nan", "pValue": "nan", "difference": num(t[0] - c[0]), "standardError": 0.0}
                else:
                    exp = {"statistic": num(r.statistic), "df": num(df), "pValue": num(r.pvalue),
                           "difference": num(t[0] - c[0]), "standardError": num(se)}
                cases.append({"name": f"{c} vs {t} eq={eq} {alt}", "args": args, "expected": exp})
    # the sums form
    cases.append({"name": "sums form", "args": {"control": {"sum": 50.0, "sumSquares": 300.0, "n": 10},
                                                 "treatment": {"sum": 70.0, "sumSquares": 520.0, "n": 10}, "options": {}},
                  "expected": {k: num(v) for k, v in zip(("statistic", "pValue"), stats.ttest_ind_from_stats(
                      7.0, math.sqrt((520 - 490) / 9), 10, 5.0, math.sqrt((300 - 250) / 9), 10, equal_var=False))}})
    write("tTest", "scipy.stats.ttest_ind_from_stats(treatment, control)", cases)


def gen_adjust():
    sets = [[0.01, 0.04, 0.03, 0.005], [0.5, 0.5, 0.5], [0.01, 0.01, 0.02, 0.02, 0.9], [0.0, 1.0, 0.3],
            [1e-12, 0.2, 0.04, 0.04, 0.049, 0.051], [0.2], [0.9, 0.8, 0.7, 0.6]]
    cases = []
    for ps in sets:
        for method, sm in (("bonferroni", "bonferroni"), ("holm", "holm"), ("bh", "fdr_bh")):
            adj = multipletests(ps, method=sm)[1]
            cases.append({"name": f"{method} {ps}", "args": {"pValues": ps, "method": method},
                          "expected": {"adjusted": [num(v) for v in adj]}})
    write("adjustPValues", "statsmodels.stats.multitest.multipletests", cases)


def heterogeneity_ref(est, se):
    w = [1 / mp.mpf(s) ** 2 for s in se]
    pooled = sum(wi * e for wi, e in zip(w, est)) / sum(w)
    q = sum(wi * (e - pooled) ** 2 for wi, e in zip(w, est))
    df = len(est) - 1
    p = stats.chi2.sf(float(q), df)
    i2 = max(0.0, float((q - df) / q)) if q > 0 else 0.0
    return {"q": num(q), "df": df, "pValue": num(p), "iSquared": num(i2)}


def gen_heterogeneity():
    sets = [([0.1, 0.12, 0.08], [0.02, 0.03, 0.025]), ([0.0, 0.0], [1.0, 2.0]), ([1.0, -1.0, 0.5, 2.0], [0.1, 0.1, 0.2, 0.3]),
            ([0.05, 0.051], [0.01, 0.01]), ([3.0, 3.5, 2.0, 4.0, 10.0], [1.0, 1.0, 1.0, 1.0, 1.0])]
    cases = [{"name": f"{e}", "args": {"estimates": e, "standardErrors": s}, "expected": heterogeneity_ref(e, s)} for e, s in sets]
    write("heterogeneity", "Cochran's Q by hand (mpmath), p = scipy.stats.chi2.sf", cases)


# ---------- Bayesian Beta-Binomial ----------

def miller_mp(aa, ba, ab, bb):
    """P(B > A), A ~ Beta(aa, ba), B ~ Beta(ab, bb), ab integer (Evan Miller), 40 digits."""
    total = mp.mpf(0)
    lb = mp.log(mp.beta(aa, ba))
    for i in range(int(ab)):
        total += mp.exp(mp.log(mp.beta(aa + i, ba + bb)) - mp.log(bb + i) - mp.log(mp.beta(1 + i, bb)) - lb)
    return total


def prob_greater_mp(x, y):
    """P(X > Y) for Beta pairs with whole-number parameters, choosing the shortest of the four sums."""
    (ab, bb), (aa, ba) = x, y
    options = [(ab, lambda: miller_mp(aa, ba, ab, bb)), (aa, lambda: 1 - miller_mp(ab, bb, aa, ba)),
               (ba, lambda: miller_mp(bb, ab, ba, aa)), (bb, lambda: 1 - miller_mp(ba, aa, bb, ab))]
    return min(options, key=lambda o: o[0])[1]()


def prob_greater_walk_mp(x, y):
    """P(X > Y) for huge whole-number Beta parameters at 40 digits: Evan Miller's terms t_i (which sum to 1 over
    i >= 0) walked outward from their mode, t_mode from log-gamma, the rest by the ratio recurrence, until the
    terms fall below 1e-45 of the sum; P(X > Y) = sum over i < a_X. The walk's total must come out as 1."""
    (ab, bb), (aa, ba) = x, y
    aa, ba, ab, bb = map(mp.mpf, (aa, ba, ab, bb))
    s = aa + ba + bb
    lb = lambda p, q: mp.loggamma(p) + mp.loggamma(q) - mp.loggamma(p + q)
    mode = max(0, int(mp.floor((aa * bb - s) / (ba + 1))))
    lt = lambda i: lb(aa + i, ba + bb) - mp.log(bb + i) - lb(1 + i, bb) - lb(aa, ba)
    ratio = lambda i: (aa + i) * (bb + i) / ((s + i) * (1 + i))
    t_mode = mp.exp(lt(mode))
    below, above = mp.mpf(0), mp.mpf(0)
    term, i = t_mode, mode
    while term > mp.mpf(10) ** -45 * t_mode:
        if i < ab:
            below += term
        else:
            above += term
        term *= ratio(i)
        i += 1
    term, i = t_mode, mode
    while i > 0:
        term /= ratio(i - 1)
        i -= 1
        if term < mp.mpf(10) ** -45 * t_mode:
            break
        if i < ab:
            below += term
        else:
            above += term
    assert abs(below + above - 1) < mp.mpf(10) ** -30, below + above
    return below


def prob_greater_quad(x, y):
    """P(X > Y) by scipy quadrature of f_Y(u) * S_X(u) (for counts too large for the 40-digit sum)."""
    (ax, bx), (ay, by) = x, y
    m, s = ay / (ay + by), math.sqrt(ay * by / ((ay + by) ** 2 * (ay + by + 1)))
    lo, hi = max(0.0, m - 40 * s), min(1.0, m + 40 * s)
    val, _ = integrate.quad(lambda u: stats.beta.pdf(u, ay, by) * stats.beta.sf(u, ax, bx), lo, hi,
                            epsabs=0, epsrel=1e-13, limit=400, points=[m])
    return mp.mpf(val)


def gen_bayes():
    pairs = [((100, 1000), (120, 1000)), ((0, 500), (3, 480)), ((500, 500), (499, 500)), ((0, 1), (1, 1)),
             ((0, 0), (0, 0)), ((7, 20), (15, 22)), ((3, 10000), (9, 10000)), ((2000, 2500), (1900, 2500)),
             ((1, 3), (0, 3))]
    priors = [(1, 1), (1, 9), (2, 2)]
    cases = []

    def case(c, t, prior, conf, pg):
        a0, b0 = prior
        C = (a0 + c[0], b0 + c[1] - c[0])
        T = (a0 + t[0], b0 + t[1] - t[0])
        Cp, Tp = (C[0] + 1, C[1]), (T[0] + 1, T[1])
        mc, mt = mp.mpf(C[0]) / sum(C), mp.mpf(T[0]) / sum(T)
        p_win = pg(T, C)
        loss_c = mt * pg(Tp, C) - mc * pg(T, Cp)
        loss_t = mc * pg(Cp, T) - mt * pg(C, Tp)
        a2 = (1 - conf) / 2
        interval = lambda d: {"estimate": num(d[0] / (d[0] + d[1])), "lower": num(beta_ppf_mp(*d, a2)), "upper": num(beta_ppf_mp(*d, a2, upper=True))}
        return {"name": f"{c} vs {t} prior {prior} @{conf}",
                "args": {"control": prop(*c), "treatment": prop(*t), "options": {"prior": {"alpha": a0, "beta": b0}, "confidence": conf}},
                "expected": {"probabilityToBeat": num(p_win), "expectedLossControl": num(loss_c), "expectedLossTreatment": num(loss_t),
                             "controlInterval": interval(C), "treatmentInterval": interval(T)}}

    for c, t in pairs:
        for prior in priors:
            cases.append(case(c, t, prior, 0.95, prob_greater_mp))
    # huge counts (all four shape parameters above the exact sum's limit): Miller's terms walked from their mode in
    # mpmath; scipy quadrature (which is off by 3e-7 in the expected loss at 4e7 units) only as a loose cross-check
    for c, t in [((2_000_000, 5_000_000), (2_003_000, 5_000_000)), ((20_000_000, 40_000_000), (20_000_000, 40_000_000)),
                 ((30_000_000, 1_000_000_000), (30_010_000, 1_000_000_000))]:
        got = case(c, t, (1, 1), 0.9, prob_greater_walk_mp)
        if c[1] < 100_000_000:
            quad = case(c, t, (1, 1), 0.9, prob_greater_quad)["expected"]["probabilityToBeat"]
            assert abs(quad - got["expected"]["probabilityToBeat"]) <= 1e-8, (quad, got)
        cases.append(got)
    write("bayesBinomial", "Evan Miller's exact sum in mpmath (40 digits), walked from the mode for huge counts; Beta quantiles by mpmath root finding", cases)


def beta_quantile_extreme_mp(a, b, p, upper=False):
    """Beta(a, b) quantile for shapes up to f64::MAX, with mpmath only (scipy's beta.ppf answers 0 or nan there):
    a bracket in ln x, bisected to 1e-20 relative. The tail is beta_tail_mp (betainc, or quadrature when both
    shapes are above 1e5).
    With a > b, 1 - X ~ Beta(b, a) is solved instead. Returns an mpf (0 when the quantile underflows 1e-400)."""
    if a > b:
        return 1 - beta_quantile_extreme_mp(b, a, p, upper=not upper)
    # 40 digits beyond the larger shape's: x ~ 1/b must survive 1 - x in betainc, and lnB(a, b), formed from
    # lnGamma values of size b*ln(b), must keep 40 digits after the cancellation in the quadrature
    digits = 45 + int(math.log10(max(b, 10)))
    with mp.workdps(digits):
        a, b, p = mp.mpf(a), mp.mpf(b), mp.mpf(p)
        # lower quantile: F(x) - p increasing; upper: p - S(x) increasing
        g = (lambda x: p - beta_tail_mp(a, b, x, True)) if upper else (lambda x: beta_tail_mp(a, b, x, False) - p)
        mean = a / (a + b)
        sd = mp.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
        step = min(mp.mpf(2), 1 + sd / mean)  # ratio of the bracket's first steps
        lo, hi = mean, mean
        while g(lo) > 0:
            lo /= step
            step = step ** 2
            if lo < mp.mpf(10) ** -400:
                return mp.mpf(0)
        step = min(mp.mpf(2), 1 + sd / mean)
        while g(hi) < 0:
            hi = min(hi * step, (1 + hi) / 2)
            step = step ** 2
        while hi / lo - 1 > mp.mpf(10) ** -20:
            mid = mp.sqrt(lo * hi)
            if g(mid) < 0:
                lo = mid
            else:
                hi = mid
        return mp.sqrt(lo * hi)


def gen_bayes_extreme():
    """Credible intervals of priors with shapes up to f64::MAX and no data (the posterior is the prior): the
    quantiles from mpmath (beta_quantile_extreme_mp); for identical posteriors the probability to beat is 1/2 by
    symmetry. The core takes the Gamma or normal limit from a shape of 1e100 on, the solver below it."""
    priors = [(7, 1.7e308, 0.5), (7, 1e100, 0.5), (7, 1e99, 0.5), (2.5, 1e150, 0.95), (1e-10, 1.7e308, 0.95),
              (0.446897, 1e250, 0.9), (1e200, 7, 0.95), (2, 1e16, 0.95), (3, 1e18, 0.99)]
    # Both shapes huge (the core's normal limit): mpmath's quadrature at the ~170+ digits lnB(a, b) needs took
    # over 15 minutes per quantile, so only the symmetric probability is checked there (quantiles: no reference).
    priors += [(1e20, 1e200, 0.95)]
    cases = []
    for alpha, beta, conf in priors:
        a2 = (1 - mp.mpf(conf)) / 2
        interval = {"estimate": num(mp.mpf(alpha) / (mp.mpf(alpha) + mp.mpf(beta)))}
        if min(alpha, beta) < 1e5:
            interval["lower"] = num(beta_quantile_extreme_mp(alpha, beta, a2))
            interval["upper"] = num(beta_quantile_extreme_mp(alpha, beta, a2, upper=True))
        none = prop(0, 0)
        cases.append({"name": f"prior Beta({alpha}, {beta}) @{conf}",
                      "args": {"control": none, "treatment": none, "options": {"prior": {"alpha": alpha, "beta": beta}, "confidence": conf}},
                      "expected": {"probabilityToBeat": 0.5, "controlInterval": interval, "treatmentInterval": interval}})
        print(cases[-1]["name"], interval)
    write("bayesBinomialExtreme", "bayes_binomial with extreme priors and no data: Beta quantiles by mpmath root finding at up to 350 digits; probabilityToBeat 1/2 by symmetry", cases)


# ---------- GrowthBook-style compare ----------

def fieller_lift(mc, mt, a, b, q):
    """Fieller's interval for mt/mc - 1 (textbook form, mpmath): the ratios R with (mt - R mc)^2 <= q^2 (a + R^2 b)."""
    mc, mt, a, b, q = (mp.mpf(x) for x in (mc, mt, a, b, q))
    lead = mc ** 2 - q ** 2 * b
    if lead <= 0:
        return -math.inf, math.inf
    disc = (mt * mc) ** 2 - lead * (mt ** 2 - q ** 2 * a)
    r1, r2 = (mt * mc - mp.sqrt(disc)) / lead, (mt * mc + mp.sqrt(disc)) / lead
    return float(r1 - 1), float(r2 - 1)


def sequential_ref(diff, var, N, alpha, tuning, alt):
    """GrowthBook's confidence sequences: two-sided (gbstats 0.8 SequentialTwoSidedTTest) and one-sided
    (GrowthBook's SequentialOneSidedTreatment{Greater,Lesser}TTest: rho at 2*alpha, halfwidth with
    log(1 + sqrt(N rho^2 + 1)/(2 alpha)), p-value = the alpha where the bound touches 0, found by bisection)."""
    two = alt == "two-sided"
    a = alpha if two else 2 * alpha
    rho = mp.sqrt((-2 * mp.log(a) + mp.log(-2 * mp.log(a) + 1)) / tuning)
    tr = N * rho ** 2 + 1

    def q_at(al):
        if two:
            return mp.sqrt(N * 2 * tr * mp.log(mp.sqrt(tr) / al) / (N * rho) ** 2)
        return mp.sqrt(N * 2 * tr * mp.log(1 + mp.sqrt(tr) / (2 * al)) / (N * rho) ** 2)
    q = q_at(mp.mpf(alpha))
    se = mp.sqrt(var)
    if two:
        p = min(float(mp.sqrt(tr) * mp.exp(-rho ** 2 * (mp.mpf(diff) ** 2 * N / var) / (2 * tr))), 1.0)
        return p, float(q)
    toward = diff if alt == "greater" else -diff
    if toward <= 0:
        return 1.0, float(q)
    # bisection in log(alpha) on q_at(alpha) * se = toward (q decreases in alpha)
    lo, hi = mp.mpf(-800), mp.mpf(5)
    for _ in range(400):
        mid = (lo + hi) / 2
        if q_at(mp.exp(mid)) * se > toward:
            lo = mid
        else:
            hi = mid
    return min(float(mp.exp((lo + hi) / 2)), 1.0), float(q)




def score_interval_mp(xc, nc, xt, nt, q):
    """Mee's score interval {delta : |Z(delta)| <= q} for p_t - p_c in mpmath: the constrained MLE maximises the
    binomial log-likelihood directly (bisection on its derivative, not the closed form), the bounds by bisection
    on the statistic. Cross-checked against a scipy maximisation in gen_compare."""
    xc, nc, xt, nt = (mp.mpf(v) for v in (xc, nc, xt, nt))
    pc, pt = xc / nc, xt / nt

    def mle(theta, lo, hi):
        # d/dp of xc ln p + (nc-xc) ln(1-p) + xt ln(p + theta) + (nt-xt) ln(1-p-theta), decreasing in p
        def d(p):
            v = mp.mpf(0)
            if xc: v += xc / p
            if nc - xc: v -= (nc - xc) / (1 - p)
            if xt: v += xt / (p + theta)
            if nt - xt: v -= (nt - xt) / (1 - p - theta)
            return v
        for _ in range(120):
            mid = (lo + hi) / 2
            if d(mid) > 0:
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2

    def stat(theta):
        p0 = mle(theta, max(mp.mpf(0), -theta), min(mp.mpf(1), 1 - theta))
        p1 = p0 + theta
        return (pt - pc - theta) / mp.sqrt(p1 * (1 - p1) / nt + p0 * (1 - p0) / nc)

    def bound(target, lo, hi):
        # stat is decreasing; find where it crosses target
        for _ in range(110):
            mid = (lo + hi) / 2
            if stat(mid) > target:
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2
    q = mp.mpf(q)
    est = pt - pc
    lower = mp.mpf(-1) if est == -1 else bound(q, mp.mpf(-1), est)
    upper = mp.mpf(1) if est == 1 else bound(-q, est, mp.mpf(1))
    return float(lower), float(upper)


def jeffreys_mp(x, n, tail):
    """Jeffreys' limits for x of n at one-sided level `tail` (Beta(x + 1/2, n - x + 1/2) quantiles at 40 digits),
    0 at x = 0 and 1 at x = n (Brown, Cai & DasGupta 2001)."""
    lower = mp.mpf(0) if x == 0 else beta_ppf_mp(x + 0.5, n - x + 0.5, tail)
    upper = mp.mpf(1) if x == n else beta_ppf_mp(x + 0.5, n - x + 0.5, tail, upper=True)
    return mp.mpf(lower), mp.mpf(upper)


def mover_ratio_mp(xc, nc, xt, nt, tail):
    """MOVER-R (Donner & Zou 2012) interval for p_t/p_c from Jeffreys limits ("MOVER-J", Laud 2017), in mpmath:
    the lower bound is the root below the estimate of (p_t - R p_c)^2 = (p_t - l_t)^2 + R^2 (u_c - p_c)^2, the upper
    the root above it of (p_t - R p_c)^2 = (u_t - p_t)^2 + R^2 (p_c - l_c)^2, each found by bisection (not by the
    quadratic formula segmetry uses). Checked against statsmodels' _mover_confint in gen_compare."""
    pc, pt = mp.mpf(xc) / nc, mp.mpf(xt) / nt
    (lc, uc), (lt, ut) = jeffreys_mp(xc, nc, tail), jeffreys_mp(xt, nt, tail)
    est = pt / pc

    def root(f, lo, hi):
        # f(lo) > 0 >= f(hi) or the reverse: bisection on the sign change
        flo = f(lo) > 0
        for _ in range(400):
            mid = (lo + hi) / 2
            if (f(mid) > 0) == flo:
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2

    lower = mp.mpf(0) if xt == 0 else root(lambda r: (pt - r * pc) ** 2 - (pt - lt) ** 2 - r * r * (uc - pc) ** 2,
                                            mp.mpf(0), est)
    far = est + 1
    while (pt - far * pc) ** 2 - (ut - pt) ** 2 - far * far * (pc - lc) ** 2 <= 0:
        far *= 2
    upper = root(lambda r: (pt - r * pc) ** 2 - (ut - pt) ** 2 - r * r * (pc - lc) ** 2, est, far)
    return float(lower), float(upper)


def proportions_ref(c, t, opts):
    """segmetry's fixed-horizon comparison of proportions (src/stats/compare_proportions.rs): pooled z; Barnard's
    exact test when N <= 1000, Fisher's below 5 expected, else the normal tail; Mee's score interval at z_a for the
    difference, MOVER-J for the risk ratio, with the bound nearest 0 moved to 0 where the interval's verdict differs
    from the p-value's (the interval excludes 0 iff p < alpha)."""
    xc, nc, xt, nt = c["successes"], c["trials"], t["successes"], t["trials"]
    alt = opts.get("alternative", "two-sided")
    alpha = 1 - opts.get("confidence", 0.95)
    N, K = nc + nt, xc + xt
    pb = K / N
    z = (xt / nt - xc / nc) / math.sqrt(pb * (1 - pb) * (1 / nc + 1 / nt))
    small = min(nc, nt) * min(K, N - K) / N < 5
    sides = 2 if alt == "two-sided" else 1
    s = {"two-sided": abs(z), "greater": z, "less": -z}[alt]
    z_a = stats.norm.isf(alpha / sides)
    if N <= 1000:
        p = barnard_ref(xc, nc, xt, nt, alt)
    elif small:
        p = fisher_mp([[xc, nc - xc], [xt, nt - xt]], alt)
    else:
        p = float(mp.ncdf(-mp.mpf(s)) * sides) if alt == "two-sided" else float(mp.ncdf(-mp.mpf(s)))
        p = min(p, 1.0)
    rel = opts.get("difference", "relative") == "relative"
    if rel:
        lo, hi = mover_ratio_mp(xc, nc, xt, nt, alpha / sides)
        lo, hi = lo - 1, hi - 1
    else:
        lo, hi = score_interval_mp(xc, nc, xt, nt, z_a)
    if alt == "greater":
        hi = math.inf
    elif alt == "less":
        lo = -1.0 if rel else -math.inf
    est = xt / nt - xc / nc
    if p >= alpha:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    elif lo <= 0 <= hi:
        # only the test rejects: the bound nearest 0 moves to 0 (segmetry: the smallest positive double)
        lo, hi = (0.0, hi) if est > 0 else (lo, 0.0)
    return p, lo, hi


def compare_ref(c, t, opts):
    """Independent scipy/mpmath implementation (see src/stats/compare.rs): gbstats' effect estimates, one
    absolute test of "no difference" for both difference modes, Fieller intervals for relative lifts, Fisher's
    exact p-value (scipy) when an expected 2x2 count is below 5, GrowthBook's one- and two-sided sequences."""
    def moments(g):
        if "successes" in g:
            m = g["successes"] / g["trials"] if g["trials"] else math.nan
            return m, m * (1 - m), g["trials"]
        if "sum" in g:
            n = g["n"]
            return g["sum"] / n, (g["sumSquares"] - g["sum"] ** 2 / n) / (n - 1), n
        return g["mean"], g["variance"], g["n"]
    bayes = opts.get("engine", "frequentist") == "bayesian"
    nanres = {"estimate": "nan", "lower": "nan", "upper": "nan", "standardError": "nan"}
    nanres.update({"chanceToWin": "nan"} if bayes else {"pValue": "nan"})
    if min(c.get("trials", c.get("n")), t.get("trials", t.get("n"))) < 2:
        return nanres
    mc, vc, nc = moments(c)
    mt, vt, nt = moments(t)
    rel = opts.get("difference", "relative") == "relative"
    conf = opts.get("confidence", 0.95)
    alpha = 1 - conf
    a, b = vt / nt, vc / nc
    if rel:
        if mc == 0:
            if bayes:
                return nanres  # the posterior is on the lift's scale
            # one hypothesis, one p-value: the lift is undefined, the test of no difference is the absolute one
            absolute = compare_ref(c, t, {**opts, "difference": "absolute"})
            return {**absolute, **{k: "nan" for k in ("estimate", "lower", "upper", "standardError")}}
        est = (mt - mc) / mc
        var = vt / (mc ** 2 * nt) + vc * mt ** 2 / (mc ** 4 * nc)
    else:
        est, var = mt - mc, a + b
    if a + b <= 0 or (bayes and var <= 0):
        return nanres
    if bayes:
        prior = opts.get("prior")
        if prior:
            prec = 1 / var + 1 / prior["variance"]
            mu, v = (est / var + prior["mean"] / prior["variance"]) / prec, 1 / prec
        else:
            mu, v = est, var
        sd = math.sqrt(v)
        z = stats.norm.isf(alpha / 2)
        mmu, msd = mp.mpf(mu), mp.mpf(sd)
        zz = mmu / msd
        risk_c = msd * mp.npdf(zz) + mmu * mp.ncdf(zz)
        risk_t = msd * mp.npdf(zz) - mmu * mp.ncdf(-zz)
        return {"estimate": num(mu), "lower": num(mu - z * sd), "upper": num(mu + z * sd), "standardError": num(sd),
                "pValue": None, "chanceToWin": num(mp.ncdf(zz)), "risk": [num(risk_c), num(risk_t)]}
    se = math.sqrt(var)
    diff = mt - mc
    alt = opts.get("alternative", "two-sided")
    seq = opts.get("sequential")
    if seq is True:
        seq = {"tuning": 5000}
    if "successes" in c and not seq:
        p, lo, hi = proportions_ref(c, t, opts)
        return {"estimate": num(est), "lower": num(lo), "upper": num(hi), "standardError": num(se), "pValue": num(p),
                "chanceToWin": None, "risk": None}
    if seq:
        p, q = sequential_ref(diff, a + b, nc + nt, alpha, seq.get("tuning", 5000), alt)
    else:
        df = (a + b) ** 2 / ((a ** 2 / (nt - 1) if a else 0) + (b ** 2 / (nc - 1) if b else 0))
        stat = diff / math.sqrt(a + b)
        if alt == "two-sided":
            p, q = 2 * stats.t.sf(abs(stat), df), stats.t.isf(alpha / 2, df)
        elif alt == "greater":
            p, q = stats.t.sf(stat, df), stats.t.isf(alpha, df)
        else:
            p, q = stats.t.sf(-stat, df), stats.t.isf(alpha, df)
    if rel:
        lo, hi = fieller_lift(mc, mt, a, b, q)
        if "successes" in c or (mc > 0 and mt >= 0):
            lo = max(lo, -1.0)
            floor = -1.0
        else:
            floor = -math.inf
    else:
        lo, hi = est - q * math.sqrt(a + b), est + q * math.sqrt(a + b)
        floor = -math.inf
    if alt == "greater":
        hi = math.inf
    elif alt == "less":
        lo = floor
    return {"estimate": num(est), "lower": num(lo), "upper": num(hi), "standardError": num(se), "pValue": num(min(p, 1.0)),
            "chanceToWin": None, "risk": None}


def gbstats_check(c, t, opts, ref):
    """Cross-check the scipy reference against gbstats itself where gbstats applies."""
    from gbstats.bayesian.tests import EffectBayesianABTest, EffectBayesianConfig, GaussianPrior
    from gbstats.frequentist.tests import (FrequentistConfig, OneSidedTreatmentGreaterTTest, SequentialConfig,
                                           SequentialTwoSidedTTest, TwoSidedTTest)
    from gbstats.models.statistics import ProportionStatistic, SampleMeanStatistic

    def stat(g):
        if "successes" in g:
            return ProportionStatistic(n=g["trials"], sum=g["successes"])
        if "sum" in g:
            return SampleMeanStatistic(n=g["n"], sum=g["sum"], sum_squares=g["sumSquares"])
        n, m, v = g["n"], g["mean"], g["variance"]
        return SampleMeanStatistic(n=n, sum=m * n, sum_squares=v * (n - 1) + m * m * n)
    if ref["estimate"] == "nan" or opts.get("alternative", "two-sided") == "less":
        return
    if opts.get("sequential") and opts.get("alternative", "two-sided") != "two-sided":
        return  # gbstats 0.8 has no one-sided sequential test (checked against the textbook bisection instead)
    sa, sb = stat(c), stat(t)
    if sa.variance <= 0 or sb.variance <= 0 or sa.mean == 0:
        return
    dt = opts.get("difference", "relative")
    alpha = 1 - opts.get("confidence", 0.95)
    if opts.get("engine") == "bayesian":
        prior = opts.get("prior")
        gp = GaussianPrior(prior["mean"], prior["variance"], True) if prior else GaussianPrior()
        r = EffectBayesianABTest(sa, sb, EffectBayesianConfig(difference_type=dt, alpha=alpha, prior_effect=gp,
                                                              prior_type="relative" if dt == "relative" else "absolute")).compute_result()
        got = {"estimate": r.expected, "lower": r.ci[0], "upper": r.ci[1], "chanceToWin": r.chance_to_win}
    elif opts.get("sequential"):
        r = SequentialTwoSidedTTest(sa, sb, SequentialConfig(difference_type=dt, alpha=alpha,
                                                             sequential_tuning_parameter=opts["sequential"].get("tuning", 5000))).compute_result()
        got = {"estimate": r.expected, "lower": r.ci[0], "upper": r.ci[1], "pValue": r.p_value}
    else:
        cls = TwoSidedTTest if opts.get("alternative", "two-sided") == "two-sided" else OneSidedTreatmentGreaterTTest
        r = cls(sa, sb, FrequentistConfig(difference_type=dt, alpha=alpha)).compute_result()
        got = {"estimate": r.expected, "lower": r.ci[0], "upper": r.ci[1]}
        if ref["pValue"] > 1e-6:
            got["pValue"] = r.p_value  # gbstats uses 1 - cdf, which loses digits for small p
    if opts.get("engine") != "bayesian" and dt == "relative":
        # segmetry tests the relative lift with the absolute test and bounds it by Fieller's interval; gbstats'
        # delta-method p-value and interval are a different (anti-conservative at small counts) procedure
        got = {"estimate": got["estimate"]}
    if "successes" in c and not opts.get("sequential") and opts.get("engine") != "bayesian":
        # proportions use the pooled score test (exact where the lattice is coarse) and score intervals, not
        # gbstats' Welch test and Wald interval
        got = {"estimate": got["estimate"]}
    for k, v in got.items():
        want = ref[k]
        if isinstance(want, str):
            continue
        assert abs(v - want) <= 1e-7 * max(abs(want), 1e-12), (k, v, want, c, t, opts)


def gen_compare():
    groups = [
        (prop(100, 1000), prop(120, 1000)), (prop(0, 500), prop(3, 480)), (prop(0, 500), prop(0, 480)),
        (prop(12345, 100000), prop(11800, 99000)), (prop(1000, 1_000_000_000), prop(1100, 1_000_000_000)),
        (prop(200, 1000), prop(9000, 40000)), (prop(1, 1), prop(1, 2)),
        (prop(16, 2542), prop(4, 2506)), (prop(3, 40), prop(9, 41)), (prop(2, 10), prop(0, 12)),
        (prop(20, 50), prop(30, 50)), (prop(25, 50), prop(35, 50)), (prop(6, 300), prop(1, 320)),
        (prop(2, 2000), prop(9, 2100)), (prop(7, 100), prop(15, 120)), (prop(0, 40), prop(4, 45)),
        # MOVER-J's edges: one control conversion (its lower bound's quadratic has a negative leading coefficient),
        # a treatment at 100 % (Jeffreys upper limit 1)
        (prop(1, 60), prop(7, 55)), (prop(45, 50), prop(50, 50)),
        ({"mean": 4.0, "variance": 2.0, "n": 1}, {"mean": 5.0, "variance": 3.0, "n": 20}),
        ({"sum": 4.0, "sumSquares": 16.0, "n": 1}, {"mean": 5.0, "variance": 3.0, "n": 20}),
        ({"mean": 0.02, "variance": 4.0, "n": 100}, {"mean": 0.5, "variance": 4.0, "n": 100}),
        ({"mean": 10.0, "variance": 4.0, "n": 100}, {"mean": 10.5, "variance": 4.5, "n": 120}),
        ({"sum": 5000.0, "sumSquares": 300000.0, "n": 1000}, {"sum": 5600.0, "sumSquares": 350000.0, "n": 1050}),
        ({"mean": 0.0, "variance": 1.0, "n": 50}, {"mean": 0.3, "variance": 1.0, "n": 50}),
        ({"mean": 3.2, "variance": 10.0, "n": 1_000_000_000}, {"mean": 3.2001, "variance": 10.0, "n": 1_000_000_000}),
    ]
    option_sets = [
        {}, {"difference": "absolute"}, {"alternative": "greater"}, {"alternative": "less", "difference": "absolute"},
        {"confidence": 0.9, "difference": "absolute"}, {"sequential": {"tuning": 5000}}, {"sequential": {"tuning": 20000}, "difference": "absolute"},
        {"sequential": True, "alternative": "greater"}, {"sequential": {"tuning": 2000}, "alternative": "less"},
        {"sequential": True, "alternative": "greater", "difference": "absolute", "confidence": 0.9},
        {"engine": "bayesian"}, {"engine": "bayesian", "difference": "absolute"},
        {"engine": "bayesian", "prior": {"mean": 0.0, "variance": 0.09}},
        {"engine": "bayesian", "difference": "absolute", "prior": {"mean": 0.01, "variance": 0.0004}, "confidence": 0.9},
    ]
    # the brute-force references against scipy's Barnard test and statsmodels' score intervals
    for xc, nc, xt, nt in [(20, 50, 30, 50), (3, 40, 9, 41), (2, 10, 0, 12), (7, 100, 15, 120)]:
        for alt in ("two-sided", "greater", "less"):
            want = stats.barnard_exact([[xt, xc], [nt - xt, nc - xc]], alternative=alt, pooled=True, n=64).pvalue
            got = barnard_ref(xc, nc, xt, nt, alt)
            assert abs(got - want) <= 1e-9 * want, ("barnard", xc, nc, xt, nt, alt, got, want)
        # Mee's bounds must be roots of the score statistic (+q at the lower bound, -q at the upper); statsmodels
        # 0.14.4's constrained MLE for a difference solves the wrong cubic (it misses the maximum away from 0), and
        # its confint brackets fail on some of these tables, so the likelihood is maximised with scipy here
        q = stats.norm.isf(0.025)
        for bound, sign in zip(score_interval_mp(xc, nc, xt, nt, q), (1, -1)):
            if bound in (-1.0, 1.0):
                continue  # at the edge of the parameter space, not a root
            from scipy import optimize
            nll = lambda p: -(xc * np.log(p) + (nc - xc) * np.log1p(-p) + xt * np.log(p + bound)
                              + (nt - xt) * np.log1p(-p - bound))
            p0 = optimize.minimize_scalar(nll, bounds=(max(0, -bound) + 1e-13, min(1, 1 - bound) - 1e-13),
                                          method="bounded", options={"xatol": 1e-14}).x
            p1 = p0 + bound
            zs = (xt / nt - xc / nc - bound) / math.sqrt(p1 * (1 - p1) / nt + p0 * (1 - p0) / nc)
            assert abs(zs - sign * q) <= 1e-6, ("score", xc, nc, xt, nt, bound, zs)
        # MOVER-J by bisection against statsmodels' own MOVER formula (Li, Tang & Wong 2014 form), fed with scipy's
        # Jeffreys limits (0 at x = 0, 1 at x = n)
        for tail in (0.025, 0.05):
            def jeffreys(x, n):
                lo = 0.0 if x == 0 else stats.beta.ppf(tail, x + 0.5, n - x + 0.5)
                return lo, 1.0 if x == n else stats.beta.isf(tail, x + 0.5, n - x + 0.5)
            want = _mover_confint(xt / nt, xc / nc, jeffreys(xt, nt), jeffreys(xc, nc), contrast="ratio")
            got = mover_ratio_mp(xc, nc, xt, nt, tail)
            assert np.allclose(got, want, rtol=1e-9, atol=0), ("mover", xc, nc, xt, nt, tail, got, want)
    cases = []
    for c, t in groups:
        for o in option_sets:
            ref = compare_ref(c, t, o)
            gbstats_check(c, t, o, ref)
            exp = {k: v for k, v in ref.items() if v is not None}
            cases.append({"name": f"{c} vs {t} {o}", "args": {"control": c, "treatment": t, "options": o}, "expected": exp})
    write("compare", "scipy/mpmath implementation of gbstats 0.8 formulas (absolute test for both difference modes, "
          "Fieller intervals, Fisher below 5 expected, GrowthBook one-sided sequences), cross-checked against gbstats "
          "where it applies", cases)


def gen_power():
    specs = [dict(baseline=0.1, minimumEffect=0.01), dict(baseline=0.1, minimumEffect=0.05, relative=True),
             dict(baseline=0.02, minimumEffect=0.002, alpha=0.01, power=0.9), dict(baseline=0.5, minimumEffect=-0.05, alternative="less"),
             dict(baseline=0.3, minimumEffect=0.02, ratio=3.0, alternative="greater"), dict(baseline=1e-4, minimumEffect=0.1, relative=True)]
    ss, pw, mde = [], [], []
    for s in specs:
        p1 = s["baseline"]
        p2 = p1 * (1 + s["minimumEffect"]) if s.get("relative") else p1 + s["minimumEffect"]
        alpha, power, ratio = s.get("alpha", 0.05), s.get("power", 0.8), s.get("ratio", 1.0)
        alt = s.get("alternative", "two-sided")
        za = stats.norm.isf(alpha / 2) if alt == "two-sided" else stats.norm.isf(alpha)
        zb = stats.norm.ppf(power)
        nc = (za + zb) ** 2 * (p1 * (1 - p1) + p2 * (1 - p2) / ratio) / (p2 - p1) ** 2
        c, t = math.ceil(nc), math.ceil(ratio * nc)
        ss.append({"name": str(s), "args": {"options": s}, "expected": {"control": c, "treatment": t, "total": c + t}})
        n = 10_000
        sd = math.sqrt(p1 * (1 - p1) / n + p2 * (1 - p2) / (ratio * n))
        d = p2 - p1
        signed = abs(d) if alt == "two-sided" else (d if alt == "greater" else -d)
        po = {k: v for k, v in s.items() if k != "power"}
        po["control"] = n
        pw.append({"name": str(po), "args": {"options": po}, "expected": {"power": num(stats.norm.cdf(signed / sd - za))}})
        mo = {k: v for k, v in s.items() if k != "minimumEffect"}
        mo["control"] = n
        down = alt == "less"
        f = lambda delta: stats.norm.cdf((abs(delta)) / math.sqrt(p1 * (1 - p1) / n + (p1 + delta) * (1 - p1 - delta) / (ratio * n)) - za) - power
        from scipy.optimize import brentq
        delta = brentq(lambda x: f(-x if down else x), 1e-12, (p1 if down else 1 - p1) * (1 - 1e-12), xtol=1e-15, rtol=1e-15)
        delta = -delta if down else delta
        mde.append({"name": str(mo), "args": {"options": mo}, "expected": {"minimumEffect": num(delta / p1 if s.get("relative") else delta)}})
    write("sampleSize", "normal-approximation formula for two proportions (scipy.stats.norm)", ss)
    write("power", "normal-approximation power (scipy.stats.norm)", pw)
    write("minimumDetectableEffect", "inverse of the power formula (scipy.optimize.brentq)", mde)


def gen_distributions():
    """Low-level distribution functions (checked by the unit test in src/stats/dist.rs) in the hard regimes: Student t
    with df from 1 to 1e9 in both tails, Beta quantiles with shape parameters up to 1e9, normal tails."""
    cases = []
    for df in (1, 2, 10, 1e3, 1e4, 99_999, 1e5, 1e6, 1e7, 1e9):
        for t in (-30.0, -2.0, -0.1, 0.1, 1.0, 2.0, 5.0, 30.0):
            cases.append({"name": f"t_sf {t} df {df}", "args": {"fn": "t_sf", "x": t, "df": df}, "expected": {"value": num(t_sf_mp(t, df))}})
        for q in (0.4, 0.025, 1e-6, 1e-30):
            cases.append({"name": f"t_isf {q} df {df}", "args": {"fn": "t_isf", "x": q, "df": df}, "expected": {"value": num(t_isf_mp(q, df))}})
    for a, b in ((1, 1e9), (2, 1e9 - 1), (1.5, 1e9 - 0.5), (0.5, 1e9 + 0.5), (1e9 + 0.5, 0.5), (3, 7), (30_000_001, 970_000_001),
                 (123_456_789, 876_543_212), (1e6, 1e9), (20_000_001, 20_000_001), (1e9 + 0.5, 5.5), (50, 1e7), (51, 1e7)):
        for p in (1e-12, 0.025, 0.5, 0.975):
            cases.append({"name": f"beta_ppf {p} ({a}, {b})", "args": {"fn": "beta_ppf", "x": p, "a": a, "b": b},
                          "expected": {"value": num(beta_ppf_mp(a, b, p))}})
        for q in (1e-12, 0.025):
            if q == 1e-12 and a > 1e8 and b < 1:
                continue  # the answer is 1 - O(1e-33): not representable
            cases.append({"name": f"beta_isf {q} ({a}, {b})", "args": {"fn": "beta_isf", "x": q, "a": a, "b": b},
                          "expected": {"value": num(beta_ppf_mp(a, b, q, upper=True))}})
    for z in (-40.0, -8.0, -1.0, 0.3, 0.7, 2.0, 5.0, 6.0, 10.0, 37.0):
        cases.append({"name": f"norm_sf {z}", "args": {"fn": "norm_sf", "x": z}, "expected": {"value": num(mp.ncdf(-mp.mpf(z)))}})
    write("distributions", "mpmath (40 digits): betainc-based t sf and Beta quantiles (root finding), ncdf", cases)


def gen_cuped():
    """CUPED theta of a compared pair = the covariate's coefficient in statsmodels OLS(y ~ 1 + treatment + x);
    the adjusted difference = the treatment coefficient. Inputs are the cell sums segmetry accumulates."""
    import statsmodels.api as sm
    rng = np.random.default_rng(13)
    cases = []
    for k, (nc, nt, lift, shift) in enumerate([(40, 55, 0.0, 0.0), (300, 280, 0.4, 0.3), (12, 9, -1.0, 2.0),
                                               (2000, 2100, 0.1, 0.0)]):
        def cell(n, base_shift, effect):
            x = rng.lognormal(0, 1, n) * (rng.random(n) < 0.6) + base_shift
            y = 0.8 * x + rng.normal(0, 1, n) + effect
            return x, y
        xc, yc = cell(nc, 0.0, 0.0)
        xt, yt = cell(nt, shift, lift)
        y = np.concatenate([yc, yt])
        X = sm.add_constant(np.column_stack([np.r_[np.zeros(nc), np.ones(nt)], np.concatenate([xc, xt])]))
        fit = sm.OLS(y, X).fit()
        sums = lambda x, y: {"n": len(x), "revenueSum": float(y.sum()), "revenueSumSquares": float((y * y).sum()),
                             "covariateSum": float(x.sum()), "covariateSumSquares": float((x * x).sum()),
                             "revenueCovariateSum": float((x * y).sum())}
        cases.append({"name": f"pair {k}: n {nc}/{nt}", "args": {"control": sums(xc, yc), "treatment": sums(xt, yt)},
                      "expected": {"theta": float(fit.params[2]), "adjustedDifference": float(fit.params[1])}})
    write("cuped", "statsmodels OLS(revenue ~ 1 + treatment + covariate): theta = covariate coefficient, "
          "adjustedDifference = treatment coefficient", cases)


def _support(n, p):
    """Binomial(n, p) outcomes down to 1e-15 of the mode, and their probabilities."""
    x = np.arange(n + 1)
    lp = stats.binom.logpmf(x, n, p)
    keep = lp >= lp.max() + math.log(1e-15)
    return x[keep].astype(float), np.exp(lp[keep])


def _score_np(x1, n1, x0, n0, theta, ratio, mn=False, skew=False):
    """Score statistic of p_1/p_0 = theta (Koopman's constrained MLE) or p_1 - p_0 = theta (Farrington-Manning's
    cubic), vectorised; mn: Miettinen-Nurminen's variance x N/(N-1); skew: Laud's (2017) skewness correction (Z
    solves Z = T - A(Z^2 - 1), A = mu3/(6 V^1.5), as R ratesci; Gart & Nam's without the N/(N-1))."""
    big_n = n0 + n1
    if ratio:
        b = -(n1 * theta + x1 + n0 + x0 * theta)
        p0 = (-b - np.sqrt(np.maximum(b * b - 4 * big_n * theta * (x1 + x0), 0))) / (2 * big_n * theta)
        p1, s, k = np.minimum(theta * p0, 1), x1 / n1 - theta * x0 / n0, theta
    else:
        th = n0 / n1
        pt, pc = x1 / n1, x0 / n0
        a = 1 + th
        b = -(1 + th + pt + th * pc + theta * (th + 2))
        c = theta * theta + theta * (2 * pt + th + 1) + pt + th * pc
        d = -pt * theta * (1 + theta)
        v = (b / (3 * a)) ** 3 - b * c / (6 * a * a) + d / (2 * a)
        u = np.sign(v) * np.sqrt(np.maximum((b / (3 * a)) ** 2 - c / (3 * a), 0))
        with np.errstate(all="ignore"):
            arg = np.where((u == 0) | (v == 0), 0.0, np.clip(v / u**3, -1, 1))
        p1 = np.clip(2 * u * np.cos((np.pi + np.arccos(arg)) / 3) - b / (3 * a), 0, 1)
        p0, s, k = np.clip(p1 - theta, 0, 1), pt - pc - theta, 1.0
    var = (p1 * (1 - p1) / n1 + k * k * p0 * (1 - p0) / n0) * (big_n / (big_n - 1) if mn else 1)
    with np.errstate(all="ignore"):
        t = s / np.sqrt(var)
        if not skew:
            return t
        a = (p1 * (1 - p1) * (1 - 2 * p1) / n1**2 - k**3 * p0 * (1 - p0) * (1 - 2 * p0) / n0**2) / (6 * var**1.5)
        safe = np.where(np.abs(a) < 1e-12, 1.0, a)
        return np.where(np.abs(a) < 1e-12, t, (-1 + np.sqrt(np.maximum(0, 1 + 4 * a * (t + a)))) / (2 * safe))


def _wilson_np(x, n, z):
    p, d = x / n, 1 + z * z / n
    h = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (p + z * z / (2 * n) - h) / d, (p + z * z / (2 * n) + h) / d


def _jeffreys_np(x, n, z):
    """Jeffreys' limits at one-sided level Phi(-z), 0 at x = 0 and 1 at x = n (Brown, Cai & DasGupta 2001)."""
    tail = stats.norm.sf(z)
    lo = np.where(x > 0, stats.beta.ppf(tail, x + 0.5, n - x + 0.5), 0.0)
    return lo, np.where(x < n, stats.beta.isf(tail, x + 0.5, n - x + 0.5), 1.0)


def _mover_covers(x1, n1, x0, n0, theta, z, limits, ratio):
    """Does the MOVER interval (Donner & Zou 2012; Newcombe's hybrid for the difference) from the one-proportion
    `limits` cover theta? Vectorised, in statsmodels' _mover_confint form."""
    p1, p0 = x1 / n1, x0 / n0
    (l1, u1), (l0, u0) = limits(x1, n1, z), limits(x0, n0, z)
    if not ratio:
        est = p1 - p0
        return (est - np.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2) <= theta) & (
            theta <= est + np.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2))
    with np.errstate(all="ignore"):
        lo = np.where(x1 > 0, l1 * (2 * p1 - l1) / (p1 * p0 + np.sqrt(np.maximum(
            (p1 * p0) ** 2 - l1 * (2 * p1 - l1) * u0 * (2 * p0 - u0), 0))), 0.0)
        den = l0 * (2 * p0 - l0)
        hi = (p1 * p0 + np.sqrt(np.maximum((p1 * p0) ** 2 - u1 * (2 * p1 - u1) * den, 0))) / den
    return (lo <= theta) & (theta <= hi)


def _candidate_coverage(pc, n, R, ratio, methods):
    """Exact coverage of each method (name -> covers(x1, x0, n, theta)) at control rate pc, treatment R pc, n per
    arm, over the outcomes where the effect is defined; None when the cell has more than 300,000 outcome pairs.
    Also returns whether most defined outcomes are flagged by Cochran's rule (an expected count below 5)."""
    (xc, wc), (xt, wt) = _support(n, pc), _support(n, R * pc)
    if len(xc) * len(xt) > 300_000:
        return None
    x0, x1 = np.meshgrid(xc, xt, indexing="ij")
    w = np.outer(wc, wt)
    both_edge = ((x0 == 0) & (x1 == 0)) | ((x0 == n) & (x1 == n))
    defined = ~both_edge & ((x0 > 0) if ratio else True)
    total = w[defined].sum()
    k = x0 + x1
    flagged = w[defined & (n * np.minimum(k, 2 * n - k) / (2 * n) < 5)].sum() / total > 0.5
    x0, x1 = np.where(defined, x0, 1.0), np.where(defined, x1, 0.0)
    theta = R if ratio else (R - 1) * pc
    with np.errstate(all="ignore"):
        return [w[covers(x1, x0, n, theta) & defined].sum() / total for covers in methods.values()], flagged


GRID_RATES, GRID_NS = (0.001, 0.005, 0.02, 0.1, 0.5), (50, 200, 1000, 10000, 100000)


def _print_candidates(ratio, methods):
    print("| cell | " + " | ".join(methods) + " |\n|---|" + "---|" * len(methods))
    for pc in GRID_RATES:
        for n in GRID_NS:
            got = _candidate_coverage(pc, n, 1.2, ratio, methods)
            if got:
                flag = " (flagged)" if got[1] else ""
                print(f"| {pc * 100:g} % × {n}{flag} | " + " | ".join(f"{c:.5f}" for c in got[0]) + " |")


def ratio_interval_candidates():
    """Exact coverage of candidate 95 % intervals for the risk ratio p_t/p_c at the calibration grid's true +20 %
    lift, over every exact cell (each arm's binomial outcomes down to 1e-15 of its mode, <= 300,000 pairs; outcomes
    with a control conversion, where a lift is defined), to choose the relative interval by the whole grid and not
    by its worst cells (docs/statistics.md, Calibration); then the same candidates off the grid (true ratios 1.2,
    1.5, 2; 24 control rates 0.2 %-45 %; n per arm 20-2000), summarised. Score-type intervals are inverted at the
    true ratio (the interval covers R iff |Z(R)| <= z): Koopman (the interval before MOVER-J), Miettinen-Nurminen,
    Laud's SCAS and Gart-Nam's skewness correction without N/(N-1) (`_score_np`); MOVER-R with Jeffreys limits
    (MOVER-J, the one segmetry uses) and with Wilson limits (Donner & Zou 2012); Katz's log interval. Coverage
    of the raw intervals: segmetry's edge rule at 0 (the p-value decides where the verdicts differ) is not applied,
    which the calibration table does. Prints only: `python3 scripts/gen_stats_fixtures.py ratio_interval_candidates`."""
    z = stats.norm.isf(0.025)

    def katz(x1, x0, n, R):
        se = np.sqrt(1 / np.maximum(x1, 1) - 1 / n + 1 / x0 - 1 / n)
        r = x1 / x0
        return (x1 == 0) | ((r * np.exp(-z * se) <= R) & (R <= r * np.exp(z * se)))

    methods = {
        "Koopman": lambda x1, x0, n, R: np.abs(_score_np(x1, n, x0, n, R, True)) <= z,
        "Miettinen-Nurminen": lambda x1, x0, n, R: np.abs(_score_np(x1, n, x0, n, R, True, mn=True)) <= z,
        "SCAS": lambda x1, x0, n, R: np.abs(_score_np(x1, n, x0, n, R, True, mn=True, skew=True)) <= z,
        "Gart-Nam skewness": lambda x1, x0, n, R: np.abs(_score_np(x1, n, x0, n, R, True, skew=True)) <= z,
        "MOVER-J": lambda x1, x0, n, R: _mover_covers(x1, n, x0, n, R, z, _jeffreys_np, True),
        "MOVER-R Wilson": lambda x1, x0, n, R: _mover_covers(x1, n, x0, n, R, z, _wilson_np, True),
        "Katz": katz,
    }
    _print_candidates(True, methods)
    rows = []
    for R in (1.2, 1.5, 2.0):
        for pc in np.geomspace(0.002, 0.45, 24):
            for n in (20, 30, 50, 100, 200, 500, 1000, 2000):
                got = _candidate_coverage(pc, n, R, True, methods)
                if got and R * pc < 1:
                    rows.append((got[1], got[0]))
    lo, hi = 0.95 - 2 * math.sqrt(0.95 * 0.05 / 10000), 0.95 + 2 * math.sqrt(0.95 * 0.05 / 10000)
    for flagged in (False, True):
        cov = np.array([c for f, c in rows if f == flagged])
        print(f"\nOff the grid, {'flagged' if flagged else 'not flagged'} by Cochran's rule: {len(cov)} cells\n")
        print("| method | mean | min | max | mean abs. error | outside 0.95 ± 0.0044 | below 0.9456 |\n|---|---|---|---|---|---|---|")
        for i, name in enumerate(methods):
            c = cov[:, i]
            print(f"| {name} | {c.mean():.4f} | {c.min():.4f} | {c.max():.4f} | {np.abs(c - 0.95).mean():.4f} | "
                  f"{np.mean((c < lo) | (c > hi)):.1%} | {np.mean(c < lo):.1%} |")


def difference_interval_candidates():
    """Exact coverage of candidate 95 % intervals for p_t - p_c at the calibration grid's true +20 % lift over every
    exact cell (as ratio_interval_candidates): Mee (the one segmetry uses), Miettinen-Nurminen (x N/(N-1)), Laud's
    SCAS, Newcombe's hybrid score (MOVER with Wilson limits) and with Jeffreys limits, Agresti-Caffo (one success
    and one failure added per arm, Wald). Raw intervals, without segmetry's edge rule at 0. Prints only:
    `python3 scripts/gen_stats_fixtures.py difference_interval_candidates`."""
    z = stats.norm.isf(0.025)

    def agresti_caffo(x1, x0, n, d):
        p1, p0 = (x1 + 1) / (n + 2), (x0 + 1) / (n + 2)
        return np.abs(p1 - p0 - d) <= z * np.sqrt(p1 * (1 - p1) / (n + 2) + p0 * (1 - p0) / (n + 2))

    methods = {
        "Mee": lambda x1, x0, n, d: np.abs(_score_np(x1, n, x0, n, d, False)) <= z,
        "Miettinen-Nurminen": lambda x1, x0, n, d: np.abs(_score_np(x1, n, x0, n, d, False, mn=True)) <= z,
        "SCAS": lambda x1, x0, n, d: np.abs(_score_np(x1, n, x0, n, d, False, mn=True, skew=True)) <= z,
        "Newcombe (Wilson)": lambda x1, x0, n, d: _mover_covers(x1, n, x0, n, d, z, _wilson_np, False),
        "Newcombe (Jeffreys)": lambda x1, x0, n, d: _mover_covers(x1, n, x0, n, d, z, _jeffreys_np, False),
        "Agresti-Caffo": agresti_caffo,
    }
    _print_candidates(False, methods)


def exact_calibration():
    """Exact size and coverage of the PREVIOUS fixed-horizon proportion procedure (before the pooled score test,
    Barnard's exact test and score intervals) for the calibration cells that fell outside their target
    (docs/statistics.md, Calibration, "before" column; the current procedure is enumerated by exact_rate in
    tests/stats_calibration.rs): every pair of binomial outcomes is enumerated (those
    with probability < 1e-10 dropped); Welch t as compare, Fisher's exact test below 5 expected, Wald interval for
    the absolute difference. Prints only (no fixture): run `python3 scripts/gen_stats_fixtures.py exact_calibration`."""
    from functools import lru_cache

    @lru_cache(None)
    def fisher_p(i, j, n):
        return stats.fisher_exact([[i, n - i], [j, n - j]])[1]

    def support(n, p):
        k = np.arange(n + 1)
        pm = stats.binom.pmf(k, n, p)
        return k[pm > 1e-10], pm[pm > 1e-10]

    def exact(n, pc, pt):
        size = coverage = 0.0
        for i, a in zip(*support(n, pc)):
            for j, b in zip(*support(n, pt)):
                x, y = i / n, j / n
                va, vb = x * (1 - x) / n, y * (1 - y) / n
                if va + vb <= 0:
                    continue
                df = (va + vb) ** 2 / (va ** 2 / (n - 1) + vb ** 2 / (n - 1))
                small = n * min(i + j, 2 * n - i - j) / (2 * n) < 5
                p = fisher_p(i, j, n) if small else 2 * stats.t.sf(abs(y - x) / math.sqrt(va + vb), df)
                size += a * b * (p < 0.05)
                coverage += a * b * (abs((y - x) - (pt - pc)) <= stats.t.isf(0.025, df) * math.sqrt(va + vb))
        return size, coverage

    for n, p in [(50, 0.5), (75, 0.5), (100, 0.5), (150, 0.5), (200, 0.5), (200, 0.1), (1000, 0.005), (10000, 0.001)]:
        print(f"A/A size, rate {p}, n {n}: {exact(n, p, p)[0]:.4f}")
    for n, p in [(1000, 0.005), (10000, 0.001)]:
        print(f"A/B coverage (absolute, +20 %), rate {p}, n {n}: {exact(n, p, 1.2 * p)[1]:.4f}")


if __name__ == "__main__":
    # optional arguments: generate only the named functions (e.g. `gen_compare gen_cuped`)
    chosen = sys.argv[1:]
    for gen in [gen_distributions, gen_proportion_interval, gen_ztest, gen_difference, gen_chisq, gen_srm, gen_fisher, gen_ttest, gen_adjust, gen_heterogeneity, gen_bayes, gen_bayes_extreme, gen_compare, gen_power, gen_cuped, exact_calibration, ratio_interval_candidates, difference_interval_candidates]:
        printing = (exact_calibration, ratio_interval_candidates, difference_interval_candidates)
        # the printing functions only print: run them by name
        if (not chosen and gen not in printing) or gen.__name__ in chosen:
            gen()
