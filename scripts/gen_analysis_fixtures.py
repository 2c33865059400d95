#!/usr/bin/env python3
"""Reference fixtures for the analysis (src/metrics), computed independently of the Rust code.

Usage:  python3 scripts/gen_analysis_fixtures.py
Runs in the "analysis" environment of scripts/pyenv.py (duckdb, pyarrow, numpy, scipy, statsmodels) and writes tests/fixtures/analysis/ (deterministic: fixed seed, no clock):

  experiment.arrow  20,000 customers in 4 record batches (sizes not multiples of 64): a dictionary variant column
                    (A/B/C + an unused dictionary value, ~1 % nulls) and the same assignment as int32 and utf8;
                    conversion as bool and as int8 0/1 (same values, ~2 % nulls); revenue as float64 (~3 % nulls),
                    float32, int64 cents and decimal128(12, 2); a pre-period covariate (~2 % nulls); segment
                    columns (country, orders_count, last_order_days); a conversion column holding a 2 (error case).
  append.arrow      3,000 more customers, same schema, with the variant dictionary in another order.
  expected.json     segment rules with hand-written DuckDB SQL; per segment x variant DuckDB GROUP BY truths
                    (n, conversions, sums, sums of squares, null counts) and math.fsum sums over the same rows;
                    reference statistics: Wilson intervals (statsmodels), Welch tests (scipy), the Holm-adjusted
                    family (statsmodels multipletests), SRM (scipy chisquare), CUPED estimates (numpy, by formula),
                    Cochran's Q (numpy + scipy chi2.sf).
"""
import json
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "analysis")


import pyenv  # noqa: E402

pyenv.use("analysis")

from decimal import Decimal  # noqa: E402

import duckdb  # noqa: E402
import numpy as np  # noqa: E402
import statsmodels.api as sm  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.ipc as ipc  # noqa: E402
from barnard_reference import barnard_ref  # noqa: E402
from scipy import stats  # noqa: E402
from statsmodels.stats.multitest import multipletests  # noqa: E402
from statsmodels.stats.proportion import proportion_confint  # noqa: E402

VARIANTS = ["A", "B", "C"]
# name -> (rule in segmetry's language, the same condition written by hand for DuckDB)
SEGMENTS = [
    ("nordic_loyal", "country IN ('FI','SE') AND orders_count >= 3", "country IN ('FI','SE') AND orders_count >= 3"),
    ("new_customers", "orders_count <= 1", "orders_count <= 1"),
    ("big_spenders", "pre_revenue > 100", "pre_revenue > 100"),
    ("norway", "country = 'NO'", "country = 'NO'"),
    ("tiny", "country = 'DE' AND orders_count >= 6", "country = 'DE' AND orders_count >= 6"),
]


def make(n, seed, first_id, dictionary):
    rng = np.random.default_rng(seed)
    country = rng.choice(["FI", "SE", "NO", "DE", "US"], size=n, p=[0.15, 0.2, 0.1, 0.25, 0.3])
    orders = rng.poisson(2.5, size=n).astype(np.int32)
    # Norway's assignment is skewed towards A: a sample ratio mismatch in that segment only.
    p_norm = [1 / 3, 1 / 3, 1 / 3]
    p_no = [0.45, 0.275, 0.275]
    v = np.where(country == "NO", rng.choice(3, size=n, p=p_no), rng.choice(3, size=n, p=p_norm))
    v_null = rng.random(n) < 0.01
    pre = rng.gamma(1.2, 60.0, size=n)
    base = 0.08 + 0.04 * (orders >= 3) + np.where(v == 1, 0.015, np.where(v == 2, 0.005, 0.0))
    converted = rng.random(n) < base
    amount = rng.lognormal(3.2, 0.9, size=n) + 0.35 * pre + np.where(v == 1, 6.0, 0.0)
    revenue = np.where(converted, amount, 0.0)
    revenue = np.round(revenue, 2)  # cents, so float / int / decimal columns hold the same amounts
    conv_null = rng.random(n) < 0.02
    rev_null = rng.random(n) < 0.03
    pre_null = rng.random(n) < 0.02
    pre = np.round(pre, 2)
    days = rng.integers(0, 400, size=n).astype(np.int32)
    mask = lambda m: np.asarray(m, dtype=bool)  # noqa: E731
    variant_idx = np.array([dictionary.index(VARIANTS[i]) for i in v], dtype=np.int32)
    cents = np.round(revenue * 100).astype(np.int64)
    bad = np.where(conv_null, 0, converted.astype(np.int32))
    bad[n // 2] = 2
    cols = {
        "customer_id": pa.array(np.arange(first_id, first_id + n, dtype=np.int64)),
        "country": pa.array(country.tolist(), pa.utf8()),
        "orders_count": pa.array(orders),
        "last_order_days": pa.array(days),
        "variant": pa.DictionaryArray.from_arrays(
            pa.array(variant_idx, mask=mask(v_null)), pa.array(dictionary, pa.utf8())
        ),
        "variant_int": pa.array((v + 1).astype(np.int32), mask=mask(v_null)),
        "variant_text": pa.array([VARIANTS[i] for i in v], pa.utf8(), mask=mask(v_null)),
        "converted": pa.array(converted, mask=mask(conv_null)),
        "converted_int": pa.array(converted.astype(np.int8), mask=mask(conv_null)),
        "converted_bad": pa.array(bad, mask=mask(conv_null)),
        "revenue": pa.array(revenue, mask=mask(rev_null)),
        "revenue_f32": pa.array(revenue.astype(np.float32), mask=mask(rev_null)),
        "revenue_cents": pa.array(cents, mask=mask(rev_null)),
        "revenue_dec": pa.array(
            [None if m else Decimal(int(c)).scaleb(-2) for c, m in zip(cents, rev_null)], pa.decimal128(12, 2)
        ),
        "pre_revenue": pa.array(pre, mask=mask(pre_null)),
    }
    return pa.table(cols)


def write(table, path, batch_sizes):
    batches = []
    start = 0
    for size in batch_sizes:
        batches.append(table.slice(start, size).to_batches()[0])
        start += size
    assert start == table.num_rows
    with ipc.new_file(path, table.schema) as w:
        for b in batches:
            w.write_batch(b)


def truths(con, cond):
    """DuckDB GROUP BY per variant over rows matching cond (hand-written SQL)."""
    q = f"""
      SELECT CAST(variant AS VARCHAR) AS variant,
             COUNT(*) AS n,
             SUM(CAST(converted AS INTEGER)) AS conversions,
             COUNT(*) - COUNT(converted) AS conversion_nulls,
             SUM(revenue) AS revenue_sum,
             SUM(revenue * revenue) AS revenue_sum_squares,
             COUNT(*) - COUNT(revenue) AS revenue_nulls,
             SUM(COALESCE(pre_revenue, 0)) FILTER (WHERE revenue IS NOT NULL) AS covariate_sum,
             SUM(COALESCE(pre_revenue, 0) * COALESCE(pre_revenue, 0)) FILTER (WHERE revenue IS NOT NULL)
               AS covariate_sum_squares,
             SUM(revenue * COALESCE(pre_revenue, 0)) AS revenue_covariate_sum,
             COUNT(*) FILTER (WHERE revenue IS NOT NULL AND pre_revenue IS NULL) AS covariate_nulls
      FROM t WHERE ({cond}) AND variant IS NOT NULL GROUP BY ALL ORDER BY 1"""
    cols = [d[0] for d in con.execute(q).description]
    out = {}
    for row in con.execute(q).fetchall():
        rec = dict(zip(cols, row))
        key = rec.pop("variant")
        out[key] = {k: (float(v) if v is not None else 0.0) for k, v in rec.items()}
    size = con.execute(f"SELECT COUNT(*) FROM t WHERE {cond}").fetchone()[0]
    unassigned = con.execute(f"SELECT COUNT(*) FROM t WHERE ({cond}) AND variant IS NULL").fetchone()[0]
    return out, size, unassigned


def welch(mt, vt, nt, mc, vc, nc):
    """gbstats-style absolute difference, Welch t: (estimate, se, p two-sided, lower, upper)."""
    d = mt - mc
    se2 = vt / nt + vc / nc
    se = math.sqrt(se2)
    df = se2**2 / ((vt / nt) ** 2 / (nt - 1) + (vc / nc) ** 2 / (nc - 1))
    p = 2 * stats.t.sf(abs(d / se), df)
    crit = stats.t.isf(0.025, df)
    return d, se, p, d - crit * se, d + crit * se


def score_diff_interval(xc, nc, xt, nt, q):
    """Mee's score interval for p_t - p_c at critical value q: constrained MLE by Farrington-Manning's cubic
    (polished by Newton steps on the likelihood), bounds by brentq."""
    from scipy import optimize
    pc, pt = xc / nc, xt / nt

    def stat(d):
        th = nc / nt
        a = 1 + th
        b = -(1 + th + pt + th * pc + d * (th + 2))
        c = d * d + d * (2 * pt + th + 1) + pt + th * pc
        e = -pt * d * (1 + d)
        v = (b / (3 * a)) ** 3 - b * c / (6 * a * a) + e / (2 * a)
        u = math.copysign(math.sqrt(max((b / (3 * a)) ** 2 - c / (3 * a), 0)), v)
        w = (math.pi + math.acos(max(-1, min(1, v / u ** 3)) if u and v else math.pi / 2)) / 3
        p0 = min(max(2 * u * math.cos(w) - b / (3 * a) - d, 0), 1)
        for _ in range(4):
            if not (0 < p0 < 1 and 0 < p0 + d < 1):
                break
            sc = xc / p0 - (nc - xc) / (1 - p0) + xt / (p0 + d) - (nt - xt) / (1 - p0 - d)
            sl = -(xc / p0 ** 2 + (nc - xc) / (1 - p0) ** 2 + xt / (p0 + d) ** 2 + (nt - xt) / (1 - p0 - d) ** 2)
            p0 -= sc / sl
        p1 = p0 + d
        return (pt - pc - d) / math.sqrt(p1 * (1 - p1) / nt + p0 * (1 - p0) / nc)
    est = pt - pc
    lo = optimize.brentq(lambda d: stat(d) - q, -1 + 1e-12, est, xtol=1e-17, rtol=8.9e-16)
    hi = optimize.brentq(lambda d: stat(d) + q, est, 1 - 1e-12, xtol=1e-17, rtol=8.9e-16)
    return lo, hi


def proportions(xc, nc, xt, nt):
    """segmetry's fixed-horizon comparison of proportions (two-sided, absolute): pooled z; Barnard's exact test
    when n_c + n_t <= 1000 (none of these segments is below 5 expected), else its normal tail; Mee's score
    interval at z_0.025, its bound nearest 0 moved to 0 where the p-value's verdict differs from the normal one."""
    pb = (xc + xt) / (nc + nt)
    z = abs(xt / nt - xc / nc) / math.sqrt(pb * (1 - pb) * (1 / nc + 1 / nt))
    assert min(nc, nt) * min(pb, 1 - pb) >= 5, "the small-sample rule is not implemented here"
    za = stats.norm.isf(0.025)
    if nc + nt <= 1000:
        p = barnard_ref(xc, nc, xt, nt, "two-sided")
    else:
        p = 2 * stats.norm.sf(z)
    lo, hi = score_diff_interval(xc, nc, xt, nt, za)
    if p >= 0.05:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    elif lo <= 0 <= hi:
        lo, hi = (0.0, hi) if xt / nt > xc / nc else (lo, 0.0)
    return p, lo, hi


def main():
    os.makedirs(OUT, exist_ok=True)
    dictionary = ["A", "B", "C", "Z"]  # "Z" is in the dictionary but never used
    table = make(20_000, 20261101, 0, dictionary)
    write(table, os.path.join(OUT, "experiment.arrow"), [5000, 7777, 3001, 4222])
    extra = make(3_000, 7, 20_000, ["C", "B", "A"])
    write(extra, os.path.join(OUT, "append.arrow"), [1234, 1766])

    con = duckdb.connect()
    con.register("t", table)
    all_segments = [("All customers", None, "TRUE")] + SEGMENTS
    df = table.to_pandas()
    variant = df["variant"].astype(object).to_numpy()
    conv = df["converted"].to_numpy(dtype=object)
    rev = df["revenue"].to_numpy(dtype=float, na_value=np.nan)
    pre = df["pre_revenue"].to_numpy(dtype=float, na_value=np.nan)

    segments_out = []
    family = []  # (segment, variant, metric, p)
    cells = {}
    for name, rule, cond in all_segments:
        groups, size, unassigned = truths(con, cond)
        ids = np.array([r[0] for r in con.execute(f"SELECT customer_id FROM t WHERE {cond}").fetchall()], dtype=np.int64)
        member = np.zeros(len(df), dtype=bool)
        member[ids] = True
        exact = {}
        for v in VARIANTS:
            m = member & (variant == v)
            r = rev[m & ~np.isnan(rev)]
            x = np.nan_to_num(pre[m & ~np.isnan(rev)], nan=0.0)
            exact[v] = {
                "revenue_sum": math.fsum(r.tolist()),
                "revenue_sum_squares": math.fsum((r * r).tolist()),
                "covariate_sum": math.fsum(x.tolist()),
                "covariate_sum_squares": math.fsum((x * x).tolist()),
                "revenue_covariate_sum": math.fsum((r * x).tolist()),
            }
            cells[(name, v)] = {
                "y": r,
                "x": x,
                "conv": np.array([c for c in conv[m] if c is not None], dtype=float),
            }
        counts = [groups[v]["n"] for v in VARIANTS]
        chi = stats.chisquare(counts)
        seg = {
            "name": name,
            "rule": rule,
            "sql": cond,
            "size": size,
            "unassigned": unassigned,
            "duckdb": groups,
            "exact": exact,
            "srm": {"statistic": chi.statistic, "pValue": chi.pvalue},
            "variants": {},
        }
        # Reference statistics, options: control A, difference absolute, confidence 0.95, correction holm.
        for v in VARIANTS:
            g = groups[v]
            trials = g["n"] - g["conversion_nulls"]
            lo, hi = proportion_confint(g["conversions"], trials, alpha=0.05, method="wilson")
            ref = {"conversionInterval": {"lower": lo, "upper": hi}}
            if v != "A":
                c, t = cells[(name, "A")], cells[(name, v)]
                # conversion: pooled score test and Mee's score interval (docs/statistics.md); the standard error
                # is gbstats' (variance p(1-p))
                pc, pt = c["conv"].mean(), t["conv"].mean()
                d, se, _, _, _ = welch(pt, pt * (1 - pt), len(t["conv"]), pc, pc * (1 - pc), len(c["conv"]))
                p, lo2, hi2 = proportions(int(c["conv"].sum()), len(c["conv"]), int(t["conv"].sum()), len(t["conv"]))
                ref["conversionVsControl"] = {"estimate": d, "standardError": se, "pValue": p, "lower": lo2, "upper": hi2}
                family.append((name, v, "conversion", p))
                # revenue: scipy Welch t-test on the raw values
                tt = stats.ttest_ind(t["y"], c["y"], equal_var=False)
                ci = tt.confidence_interval(0.95)
                ref["revenueVsControl"] = {
                    "estimate": t["y"].mean() - c["y"].mean(),
                    "pValue": tt.pvalue,
                    "lower": ci.low,
                    "upper": ci.high,
                }
                family.append((name, v, "revenue", tt.pvalue))
            seg["variants"][v] = ref
        # CUPED by formula: theta from the segment's pooled (y, x), residual variances per variant.
        ys = np.concatenate([cells[(name, v)]["y"] for v in VARIANTS])
        xs = np.concatenate([cells[(name, v)]["x"] for v in VARIANTS])
        cov = np.cov(ys, xs, ddof=1)
        theta = cov[0, 1] / cov[1, 1]
        xbar = xs.mean()
        adj = {}
        for v in VARIANTS:
            y, x = cells[(name, v)]["y"], cells[(name, v)]["x"]
            adj[v] = (y.mean() - theta * (x.mean() - xbar), np.var(y - theta * x, ddof=1), len(y))
        cuped = {"theta": theta, "covariateMean": xbar, "variants": {}}
        for v in VARIANTS:
            cuped["variants"][v] = {"revenueMeanAdjusted": adj[v][0], "revenueVarianceAdjusted": adj[v][1]}
            if v != "A":
                # Each comparison is adjusted with its own pair's theta: the covariate's coefficient in
                # statsmodels OLS(y ~ 1 + treatment + x) over control and this variant; the treatment coefficient
                # is the adjusted difference; residual variances per group enter the Welch test.
                (yc, xc), (yt, xt) = ((cells[(name, g)]["y"], cells[(name, g)]["x"]) for g in ("A", v))
                design = sm.add_constant(np.column_stack([np.r_[np.zeros(len(yc)), np.ones(len(yt))], np.r_[xc, xt]]))
                fit = sm.OLS(np.r_[yc, yt], design).fit()
                th, d = fit.params[2], fit.params[1]
                vt, vc = np.var(yt - th * xt, ddof=1), np.var(yc - th * xc, ddof=1)
                _, se, p, lo2, hi2 = welch(d, vt, len(yt), 0.0, vc, len(yc))
                cuped["variants"][v]["revenueVsControl"] = {
                    "cupedTheta": th, "estimate": d, "standardError": se, "pValue": p, "lower": lo2, "upper": hi2}
        seg["cuped"] = cuped
        segments_out.append(seg)

    adjusted = multipletests([f[3] for f in family], method="holm")[1]
    holm = [{"segment": s, "variant": v, "metric": m, "pValue": p, "adjustedPValue": a}
            for (s, v, m, p), a in zip(family, adjusted)]

    # Cochran's Q over the user's segments, variant B, absolute conversion effect.
    est, ses = [], []
    for seg in segments_out[1:]:
        r = seg["variants"]["B"]["conversionVsControl"]
        est.append(r["estimate"])
        ses.append(r["standardError"])
    w = 1 / np.square(ses)
    pooled = np.sum(w * est) / np.sum(w)
    q = float(np.sum(w * np.square(np.array(est) - pooled)))
    dfq = len(est) - 1
    het = {"variant": "B", "metric": "conversion", "q": q, "df": dfq, "pValue": stats.chi2.sf(q, dfq),
           "iSquared": max(0.0, (q - dfq) / q)}

    expected = {
        "rows": table.num_rows,
        "appendRows": extra.num_rows,
        "variants": VARIANTS,
        "unassigned": int(np.sum(pd_isnull(variant))),
        "segments": segments_out,
        "holm": holm,
        "heterogeneity": het,
        "duckdb": duckdb.__version__,
    }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, default=float)
        f.write("\n")
    print(f"wrote {OUT}: {table.num_rows} + {extra.num_rows} rows, {len(segments_out)} segments, {len(family)} tests")


def pd_isnull(a):
    return np.array([x is None or (isinstance(x, float) and math.isnan(x)) for x in a])


if __name__ == "__main__":
    main()
