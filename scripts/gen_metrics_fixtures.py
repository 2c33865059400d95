#!/usr/bin/env python3
"""Reference fixtures for named metrics (src/metrics/metric_*.rs), computed independently of the Rust code.

Usage:  python3 scripts/gen_metrics_fixtures.py
Runs in the "stats" environment of scripts/pyenv.py (numpy, scipy, pandas, gbstats) and writes tests/fixtures/metrics/expected.json (deterministic: fixed seed, no clock).

An e-mail test with two variants A (control) and B, unit-level columns: Opened (0/1), Clicked (0/1, only if
opened), Score (0-10 NPS answer, null when not answered). For each variant:
  * click_to_open = sum(Clicked)/sum(Opened): mean and delta-method variance from the published formula (numpy),
    and from GrowthBook's gbstats 0.8.0 RatioStatistic (they must agree);
  * nps = share 9-10 minus share 0-6 over answered units and its variance p+ + p- - (p+ - p-)^2 (population; the
    n - 1 sample variance is that times n/(n-1)), from counts (numpy);
and for B vs A: the absolute difference, its Welch standard error and two-sided p-value (scipy
ttest_ind_from_stats), and the 95 % interval (scipy t quantile) - for both metrics.

Then, when tests/fixtures/metrics/metrics.duckdb.sql exists (the scale-out query for named metrics, written by
`cargo test --test metrics_sql -- --ignored write_metrics_sql`), DuckDB runs it over the same units (table `units`,
plus `Opened text` = 'yes'/'no' and `Clicked flag` = bool derived from Opened and Clicked) and its result rows go to
tests/fixtures/metrics/metrics_duckdb.json, which tests/metrics_sql.rs analyzes.
"""
import json
import math
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "metrics")


import pyenv  # noqa: E402

pyenv.use("stats")

import numpy as np  # noqa: E402
from gbstats.models.statistics import RatioStatistic, SampleMeanStatistic  # noqa: E402
from scipy import stats  # noqa: E402


def units(rng, n, open_p, click_p, answer_p, score_weights):
    opened = (rng.random(n) < open_p).astype(int)
    clicked = opened * (rng.random(n) < click_p).astype(int)
    answered = rng.random(n) < answer_p
    scores = rng.choice(11, size=n, p=np.array(score_weights) / sum(score_weights))
    return opened, clicked, [int(s) if a else None for s, a in zip(scores, answered)]


def ratio_reference(x, y):
    """Delta-method mean and per-unit variance of sum(x)/sum(y), by the published formula and by gbstats."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    n = len(x)
    mx, my = x.mean(), y.mean()
    vx, vy = x.var(ddof=1), y.var(ddof=1)
    cxy = np.cov(x, y, ddof=1)[0, 1]
    variance = vx / my**2 - 2 * cxy * mx / my**3 + vy * mx**2 / my**4
    gb = RatioStatistic(
        n=n,
        m_statistic=SampleMeanStatistic(n=n, sum=float(x.sum()), sum_squares=float((x * x).sum())),
        d_statistic=SampleMeanStatistic(n=n, sum=float(y.sum()), sum_squares=float((y * y).sum())),
        m_d_sum_of_products=float((x * y).sum()),
    )
    assert math.isclose(gb.mean, mx / my, rel_tol=1e-12), (gb.mean, mx / my)
    assert math.isclose(gb.variance, variance, rel_tol=1e-9), (gb.variance, variance)
    return {"n": n, "mean": mx / my, "variance": variance, "gbstatsMean": gb.mean, "gbstatsVariance": gb.variance}


def nps_reference(scores):
    answered = [s for s in scores if s is not None]
    n = len(answered)
    promoters = sum(1 for s in answered if s >= 9)
    detractors = sum(1 for s in answered if s <= 6)
    pp, pd = promoters / n, detractors / n
    population = pp + pd - (pp - pd) ** 2
    return {
        "n": n,
        "nulls": len(scores) - n,
        "promoters": promoters,
        "detractors": detractors,
        "mean": pp - pd,
        "populationVariance": population,
        "variance": population * n / (n - 1),
    }


def welch(control, treatment, confidence=0.95):
    """Absolute difference of per-unit means, Welch SE, p-value and interval (scipy)."""
    mc, vc, nc = control["mean"], control["variance"], control["n"]
    mt, vt, nt = treatment["mean"], treatment["variance"], treatment["n"]
    res = stats.ttest_ind_from_stats(mt, math.sqrt(vt), nt, mc, math.sqrt(vc), nc, equal_var=False)
    se = math.sqrt(vt / nt + vc / nc)
    df = (vt / nt + vc / nc) ** 2 / ((vt / nt) ** 2 / (nt - 1) + (vc / nc) ** 2 / (nc - 1))
    q = stats.t.isf((1 - confidence) / 2, df)
    d = mt - mc
    return {"estimate": d, "standardError": se, "pValue": float(res.pvalue), "lower": d - q * se, "upper": d + q * se}


def main():
    rng = np.random.default_rng(20261130)
    data, cells = {}, {}
    spec = {"A": (1500, 0.40, 0.10, 0.30, [3, 1, 1, 2, 2, 4, 5, 9, 12, 14, 10]),
            "B": (1400, 0.42, 0.13, 0.30, [2, 1, 1, 2, 2, 3, 5, 9, 12, 16, 13])}
    for v, (n, op, cp, ap, w) in spec.items():
        opened, clicked, scores = units(rng, n, op, cp, ap, w)
        data[v] = {"Opened": opened.tolist(), "Clicked": clicked.tolist(), "Score": scores}
        cells[v] = {"click_to_open": ratio_reference(clicked, opened), "nps": nps_reference(scores)}
    comparisons = {m: welch(cells["A"][m], cells["B"][m]) for m in ["click_to_open", "nps"]}
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump({"data": data, "cells": cells, "bVsA": comparisons}, f, indent=1)
        f.write("\n")
    run_metrics_sql(data)


def run_metrics_sql(data):
    """DuckDB's result of metrics.duckdb.sql over the units, as row objects (the shape analyzeSummary reads)."""
    path = os.path.join(OUT, "metrics.duckdb.sql")
    if not os.path.exists(path):
        print("no metrics.duckdb.sql yet: run `cargo test --test metrics_sql -- --ignored write_metrics_sql`, then this")
        return
    import duckdb

    con = duckdb.connect()
    con.execute('CREATE TABLE units (variant VARCHAR, "Opened" INTEGER, "Clicked" INTEGER, "Score" INTEGER, '
                '"Opened text" VARCHAR, "Clicked flag" BOOLEAN)')
    rows = []
    for v in ["A", "B"]:
        d = data[v]
        for o, c, s in zip(d["Opened"], d["Clicked"], d["Score"]):
            rows.append((v, o, c, s, "yes" if o == 1 else "no", c == 1))
    con.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?)", rows)
    with open(path, encoding="utf-8") as f:
        cur = con.execute(f.read())
    names = [c[0] for c in cur.description]
    result = [dict(zip(names, r)) for r in cur.fetchall()]
    result.sort(key=lambda r: (r["segment"] or "", r["variant"] or ""))
    with open(os.path.join(OUT, "metrics_duckdb.json"), "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(f"{len(result)} aggregate rows from DuckDB -> metrics_duckdb.json")


if __name__ == "__main__":
    main()
