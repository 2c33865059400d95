#!/usr/bin/env python3
"""Reference fixtures for the customer-lifetime-value models (src/models/clv), computed by `lifetimes` 0.11.3 and
mpmath, independently of the Rust code.

    python3 scripts/gen_clv_fixtures.py        # writes tests/fixtures/clv/* (environment: pyenv "clv")

(lifetimes 0.11.3 predates numpy 2 / pandas 2.1; scripts/pyenv.py pins a set that installs and runs on Python 3.11.)

Writes (deterministic: no randomness, no clock):
  cdnow.json     the CDNOW 39-week calibration summary shipped inside the lifetimes wheel (2,357 customers:
                 x = repeat purchases, t_x = recency and T = age in weeks, zbar = mean repeat-order value in $)
  bgnbd.json     lifetimes BetaGeoFitter on CDNOW: parameters, summed log-likelihood, standard errors; per-customer
                 P(alive), conditional expected purchases (several t, including long horizons where the Gaussian
                 hypergeometric function needs care), unconditional expectations and P(X(t) = n) — all at FIXED
                 parameters (the published ones), so the prediction tests do not depend on the fit; the expected
                 repeat-purchase histogram sum_i P(X(T_i) = n)
  gamma_gamma.json  lifetimes GammaGammaFitter on the CDNOW repeat buyers: parameters, log-likelihood, standard
                 errors; expected average order value and CLV (lifetimes customer_lifetime_value) at fixed parameters
  hyp2f1.json    mpmath 2F1(a, b; c; z) at 40 digits on hard cases (z near 1, large parameters, c - a - b < 0)
  holdout.json   a seeded transaction log (1,000 customers drawn from BG/NBD in days, some with several orders on
                 one day), lifetimes calibration_and_holdout_data(freq='D') at a cutoff, BetaGeoFitter on the
                 calibration columns, and the holdout comparison per calibration frequency (mean actual purchases
                 and lifetimes' conditional expectation over the holdout, at its fitted parameters)
"""

import json
import os

import pyenv

pyenv.use("clv")

import lifetimes  # noqa: E402
import mpmath  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from lifetimes import BetaGeoFitter, GammaGammaFitter  # noqa: E402
from lifetimes.utils import calibration_and_holdout_data  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "clv")
DATA = os.path.join(os.path.dirname(lifetimes.__file__), "datasets", "cdnow_customers_summary_with_transactions.csv")

# Fader, Hardie & Lee (2005), "Counting your customers the easy way", and "RFM and CLV" (the same CDNOW sample).
PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_GG = {"p": 6.25, "q": 3.74, "v": 15.44}


def floats(values):
    return [float(v) for v in np.asarray(values, dtype=float)]


def bgnbd_at(params):
    """A BetaGeoFitter whose parameters are set, not fitted (predictions at fixed parameters)."""
    m = BetaGeoFitter()
    m.params_ = pd.Series(params)
    m.predict = m.conditional_expected_number_of_purchases_up_to_time
    return m


def gg_at(params):
    m = GammaGammaFitter()
    m.params_ = pd.Series(params)
    return m


def transaction_log():
    """1,000 customers from BG/NBD in days (r = 0.5, alpha = 20, a = 0.8, b = 3), first orders during 2024, observed
    to 2025-06-30; Gamma order values; 5 % of orders get a second order the same day."""
    rng = np.random.default_rng(20251130)
    start, end = pd.Timestamp("2024-01-01"), pd.Timestamp("2025-06-30")
    horizon = (end - start).days
    rows = []
    for i in range(1000):
        customer = f"c{i:04d}@example.com"
        first = float(rng.integers(0, 366))
        lam, p_drop = rng.gamma(0.5, 1 / 20), rng.beta(0.8, 3.0)
        t, alive = first, True
        while alive and t <= horizon:
            day = int(t)
            for _ in range(2 if rng.random() < 0.05 else 1):
                rows.append((customer, (start + pd.Timedelta(days=day)).strftime("%Y-%m-%d"),
                             round(float(rng.gamma(4.0, 12.5)), 2)))
            t += rng.exponential(1 / lam)
            alive = t == first or rng.random() >= p_drop
    return pd.DataFrame(rows, columns=["customer", "date", "amount"]), "2025-03-31", end.strftime("%Y-%m-%d")


def holdout_fixture():
    log, cutoff, end = transaction_log()
    summary = calibration_and_holdout_data(
        log, "customer", "date", calibration_period_end=cutoff, observation_period_end=end, freq="D",
        monetary_value_col="amount",
    ).sort_index()
    bg = BetaGeoFitter().fit(summary["frequency_cal"], summary["recency_cal"], summary["T_cal"])
    expected = bg.conditional_expected_number_of_purchases_up_to_time(
        summary["duration_holdout"], summary["frequency_cal"], summary["recency_cal"], summary["T_cal"]
    )
    bucket = summary["frequency_cal"].clip(upper=7)
    frame = pd.DataFrame({"bucket": bucket, "actual": summary["frequency_holdout"], "expected": expected})
    by = frame.groupby("bucket")
    return {
        "transactions": {c: log[c].tolist() for c in log.columns},
        "calibration_end": cutoff,
        "observation_end": end,
        "summary": {"customer": summary.index.tolist(), **{c: floats(summary[c]) for c in summary.columns}},
        "fit": {"params": {k: float(v) for k, v in bg.params_.items()}},
        "comparison": {
            "buckets": [int(k) for k in by.groups.keys()],
            "customers": [int(v) for v in by.size()],
            "actual": floats(by["actual"].mean()),
            "expected": floats(by["expected"].mean()),
        },
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "holdout.json"), "w") as f:
        json.dump(holdout_fixture(), f)
    df = pd.read_csv(DATA)
    x, tx, T, zbar = df["x"].values, df["t_x"].values, df["T"].values, df["zbar"].values
    with open(os.path.join(OUT, "cdnow.json"), "w") as f:
        json.dump({"x": floats(x), "t_x": floats(tx), "T": floats(T), "zbar": floats(zbar)}, f)

    # --- BG/NBD ---
    bg = BetaGeoFitter().fit(df["x"], df["t_x"], df["T"])
    n = len(df)
    bgnbd = {
        "fit": {
            "params": {k: float(v) for k, v in bg.params_.items()},
            # lifetimes minimizes the mean negative log-likelihood on rescaled time (max T = 1), which shifts it by a
            # Jacobian term; the published figure is the sum in weeks, so evaluate that at the fitted parameters.
            "log_likelihood": float(
                -BetaGeoFitter._negative_log_likelihood(np.log(bg.params_.values), x, tx, T, np.ones(n), 0.0) * n
            ),
            "standard_errors": {k: float(v) for k, v in bg.standard_errors_.items()},
        },
        "published": dict(PUBLISHED_BGNBD, log_likelihood=-9582.4),
    }
    fixed = bgnbd_at(PUBLISHED_BGNBD)
    r, alpha, a, b = (PUBLISHED_BGNBD[k] for k in ("r", "alpha", "a", "b"))
    bgnbd["at_published"] = {
        "log_likelihood": float(
            -BetaGeoFitter._negative_log_likelihood(np.log([r, alpha, a, b]), x, tx, T, np.ones(n), 0.0) * n
        ),
        "p_alive": floats(fixed.conditional_probability_alive(x, tx, T)),
        "conditional_expected": {
            str(t): floats(fixed.conditional_expected_number_of_purchases_up_to_time(t, x, tx, T))
            for t in (1, 39, 52, 520, 5200)
        },
        "unconditional_expected": {
            str(t): float(fixed.expected_number_of_purchases_up_to_time(t)) for t in (1, 10, 39, 78, 520)
        },
        "p_n_purchases": {
            str(t): [float(fixed.probability_of_n_purchases_up_to_time(t, k)) for k in range(0, 15)] for t in (39, 78)
        },
    }
    # Expected repeat-purchase histogram over the calibration period: sum over customers of P(X(T_i) = n).
    histogram = np.zeros(8)
    for t_value, count in pd.Series(T).value_counts().items():
        for k in range(7):
            histogram[k] += count * fixed.probability_of_n_purchases_up_to_time(t_value, k)
    histogram[7] = n - histogram[:7].sum()  # "7+"
    bgnbd["at_published"]["expected_histogram"] = floats(histogram)
    bgnbd["observed_histogram"] = [int((x == k).sum()) for k in range(7)] + [int((x >= 7).sum())]
    with open(os.path.join(OUT, "bgnbd.json"), "w") as f:
        json.dump(bgnbd, f, indent=1)

    # --- Gamma-Gamma on repeat buyers ---
    repeat = df[df["x"] > 0]
    gg = GammaGammaFitter().fit(repeat["x"], repeat["zbar"])
    m = len(repeat)
    ggf = gg_at(PUBLISHED_GG)
    p, q, v = (PUBLISHED_GG[k] for k in ("p", "q", "v"))
    gamma_gamma = {
        "fit": {
            "params": {k: float(val) for k, val in gg.params_.items()},
            "log_likelihood": float(-gg._negative_log_likelihood_ * m),
            "standard_errors": {k: float(val) for k, val in gg.standard_errors_.items()},
            "customers": m,
        },
        "published": PUBLISHED_GG,
        "at_published": {
            "log_likelihood": float(
                -GammaGammaFitter._negative_log_likelihood(
                    np.log([p, q, v]), repeat["x"].values, repeat["zbar"].values, np.ones(m), 0.0
                )
                * m
            ),
            "expected_average_value": floats(ggf.conditional_expected_average_profit(df["x"], df["zbar"])),
            "population_mean": float(v * p / (q - 1)),
            "frequency_monetary_correlation": float(np.corrcoef(repeat["x"], repeat["zbar"])[0, 1]),
        },
    }
    # CLV (lifetimes): 12 months with weekly data (a month = 4.345 weeks), 1% monthly discount; and 6 months, 10%.
    for months, rate in ((12, 0.01), (6, 0.1)):
        clv = ggf.customer_lifetime_value(
            fixed, df["x"], df["t_x"], df["T"], df["zbar"], time=months, discount_rate=rate, freq="W"
        )
        gamma_gamma["at_published"][f"clv_weeks_{months}m_{rate}"] = floats(clv)
    # The same model in days (time ×7, alpha ×7) with lifetimes' 30-day month.
    fixed_days = bgnbd_at(dict(PUBLISHED_BGNBD, alpha=alpha * 7))
    clv_days = ggf.customer_lifetime_value(
        fixed_days, df["x"], df["t_x"] * 7, df["T"] * 7, df["zbar"], time=12, discount_rate=0.01, freq="D"
    )
    gamma_gamma["at_published"]["clv_days_12m_0.01"] = floats(clv_days)
    with open(os.path.join(OUT, "gamma_gamma.json"), "w") as f:
        json.dump(gamma_gamma, f, indent=1)

    # --- 2F1 reference values ---
    mpmath.mp.dps = 40
    cases = [
        (0.243, 2.426, 2.219, 0.5),
        (0.243 + 20, 2.426 + 20, 0.793 + 2.426 + 19, 0.9),
        (0.243 + 50, 2.426 + 50, 0.793 + 2.426 + 49, 0.99),
        (0.243 + 3, 2.426 + 3, 0.793 + 2.426 + 2, 0.999),
        (0.5, 0.7, 0.3, 0.95),
        (1.5, 2.5, 5.0, 0.999),
        (0.243, 2.426, 0.793 + 2.426 - 1, 0.2),
        (0.3, 0.4, 0.2 + 0.4 - 1, 0.7),  # c < 0: a + b < 1 in the unconditional expectation
        (200.0, 300.0, 450.0, 0.6),
        (0.1, 0.1, 0.1, 1e-9),
        # A fit on data without drop-out: a -> 0, b ~ 1e5 (the dashboard's demo data); x = 2 and the horizon.
        (0.9 + 2, 81664.0 + 2, 3.3e-6 + 81664.0 + 1, 0.5),
        (0.9, 81664.0, 3.3e-6 + 81664.0 - 1, 0.8),
    ]
    hyp = [
        {"a": a_, "b": b_, "c": c_, "z": z_, "value": float(mpmath.hyp2f1(a_, b_, c_, z_))}
        for a_, b_, c_, z_ in cases
    ]
    with open(os.path.join(OUT, "hyp2f1.json"), "w") as f:
        json.dump(hyp, f, indent=1)
    print("BG/NBD", bgnbd["fit"], "\nGamma-Gamma", gamma_gamma["fit"])


if __name__ == "__main__":
    main()
