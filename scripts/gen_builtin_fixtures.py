#!/usr/bin/env python3
"""Reference fixtures for the built-in segmentations (src/segments/builtin), computed independently of the Rust code.

    python3 scripts/gen_builtin_fixtures.py            # writes tests/fixtures/builtin/* (environment: pyenv "builtin")
    BUILTIN_SQL_OUT=/tmp/sql cargo test --test builtin_fixtures
    python3 scripts/gen_builtin_fixtures.py --check-sql /tmp/sql.*.json

Writes (deterministic: fixed seeds, no clock):
  customers.arrow   one row per customer: ids, recency (days and date), orders (zeros = prospects), spend
                    (decimal, ties, nulls), tenure
  rfm_expected.json DuckDB NTILE(5) scores per customer and named-group counts (hand-written SQL below)
  lifecycle_expected.json  stage counts from hand-written DuckDB SQL for several option sets
  blobs.arrow       well-separated Gaussian blobs in 3 columns of very different scales (+ rows with nulls)
  clusters_expected.json   scikit-learn: StandardScaler + KMeans sizes/centroids/inertia per k, silhouette per k

--check-sql runs the SQL the Rust code generated (JSON lists of {group, name, sql, size} written by the
builtin_fixtures test when BUILTIN_SQL_OUT is set, one file per segmentation) against customers.arrow in DuckDB and compares the row counts.
"""

import argparse
import json
import os
import sys
from decimal import Decimal

import pyenv

pyenv.use("builtin")

import duckdb  # noqa: E402
import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.ipc as ipc  # noqa: E402

import fixture_io  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "builtin")
REFERENCE_DATE = "2024-06-30"

# The named RFM map (docs/builtin-segments.md), written out independently of the Rust table.
RFM_CASE = """
  CASE
    WHEN r_score = 5 AND fm_score >= 4 THEN 'Champions'
    WHEN r_score IN (3, 4) AND fm_score >= 4 THEN 'Loyal Customers'
    WHEN r_score >= 4 AND fm_score IN (2, 3) THEN 'Potential Loyalists'
    WHEN r_score = 5 AND fm_score = 1 THEN 'New Customers'
    WHEN r_score = 4 AND fm_score = 1 THEN 'Promising'
    WHEN r_score = 3 AND fm_score = 3 THEN 'Need Attention'
    WHEN r_score = 3 AND fm_score <= 2 THEN 'About to Sleep'
    WHEN r_score <= 2 AND fm_score IN (3, 4) THEN 'At Risk'
    WHEN r_score <= 2 AND fm_score = 5 THEN 'Can''t Lose Them'
    WHEN r_score = 2 AND fm_score <= 2 THEN 'Hibernating'
    WHEN r_score = 1 AND fm_score <= 2 THEN 'Lost'
  END"""


def write_arrow(table, name):
    return fixture_io.write_arrow(os.path.join(OUT, name), table, 400)  # several record batches


def customers_table():
    rng = np.random.default_rng(20240630)
    n = 1000
    ids = rng.permutation(np.arange(1, n + 1)) * 7 + 1000  # row order differs from id order
    # Text ids whose byte order differs from the numeric order.
    codes = [f"C{(int(i) * 7919) % 100003:06d}" for i in ids]
    orders = rng.choice([0, 1, 1, 1, 2, 2, 3, 4, 5, 6, 8, 12, 20], size=n)
    prospect = orders == 0
    # Recency in whole days with many ties (a few distinct values each hit many customers).
    last_days = rng.choice(np.concatenate([np.arange(0, 60), np.arange(0, 720, 15)]), size=n).astype(np.int64)
    tenure = last_days + rng.integers(0, 400, size=n)
    spent_cents = (orders * rng.choice([1999, 2500, 4999, 9900], size=n)).astype(np.int64)
    last_days_mask = prospect.copy()
    spent_mask = np.zeros(n, dtype=bool)
    # Nulls: some customers with orders miss recency or spend; a couple miss the order count.
    with_orders = np.flatnonzero(~prospect)
    spent_mask[rng.choice(with_orders, 15, replace=False)] = True
    last_days_mask[rng.choice(with_orders, 10, replace=False)] = True
    orders_mask = np.zeros(n, dtype=bool)
    orders_mask[rng.choice(np.arange(n), 3, replace=False)] = True
    tenure_mask = prospect.copy()
    tenure_mask[rng.choice(with_orders, 8, replace=False)] = True
    # Single-order customers: tenure equals recency (first order = last order) for most.
    single = orders == 1
    tenure = np.where(single, np.where(rng.random(n) < 0.8, last_days, tenure), tenure)
    ref = np.datetime64(REFERENCE_DATE, "D")
    last_dates = ref - last_days.astype("timedelta64[D]")
    return pa.table(
        {
            "customer_id": pa.array(ids, pa.int64()),
            "customer_code": pa.array(codes, pa.string()),
            "last_order_days": pa.array(last_days.astype(np.int32), pa.int32(), mask=last_days_mask),
            "last_order_date": pa.array(last_dates, pa.date32(), mask=last_days_mask),
            "orders_count": pa.array(orders.astype(np.int32), pa.int32(), mask=orders_mask),
            "total_spent": pa.array(
                [None if m else Decimal(int(c)).scaleb(-2) for c, m in zip(spent_cents, spent_mask)],
                pa.decimal128(12, 2),
            ),
            "first_order_days": pa.array(tenure.astype(np.int32), pa.int32(), mask=tenure_mask),
        }
    )


def rfm_expected(con):
    def scores(recency_order, tie):
        rows = con.execute(
            f"""
            WITH scored AS (
              SELECT *,
                NTILE(5) OVER (ORDER BY {recency_order}, {tie} ASC NULLS LAST) AS r_score,
                NTILE(5) OVER (ORDER BY orders_count ASC, {tie} ASC NULLS LAST) AS f_score,
                NTILE(5) OVER (ORDER BY total_spent ASC, {tie} ASC NULLS LAST) AS m_score
              FROM customers
              WHERE orders_count > 0 AND last_order_days IS NOT NULL AND total_spent IS NOT NULL
            ), graded AS (SELECT *, (f_score + m_score + 1) // 2 AS fm_score FROM scored)
            SELECT customer_id, r_score, f_score, m_score, {RFM_CASE} AS segment FROM graded ORDER BY customer_id
            """
        ).fetchall()
        per_customer = {str(r[0]): [r[1], r[2], r[3], r[4]] for r in rows}
        counts = {}
        for r in rows:
            counts[r[4]] = counts.get(r[4], 0) + 1
        return per_customer, counts

    by_id, counts_by_id = scores("last_order_days DESC", "customer_id")
    by_code, counts_by_code = scores("last_order_days DESC", "customer_code")
    by_date, _ = scores("last_order_date ASC", "customer_id")
    assert by_date == by_id, "date recency must give the same scores as days recency"
    prospects = con.execute("SELECT count(*) FROM customers WHERE orders_count <= 0").fetchone()[0]
    unscored = con.execute(
        "SELECT count(*) FROM customers WHERE orders_count IS NULL "
        "OR (orders_count > 0 AND (last_order_days IS NULL OR total_spent IS NULL))"
    ).fetchone()[0]
    sizes = con.execute(
        """
        SELECT n, count(*) FROM (
          SELECT count(*) OVER () AS n FROM customers
          WHERE orders_count > 0 AND last_order_days IS NOT NULL AND total_spent IS NOT NULL LIMIT 1)
        GROUP BY n
        """
    ).fetchall()
    return {
        "referenceDate": REFERENCE_DATE,
        "scored": sizes[0][0],
        "prospects": prospects,
        "unscored": unscored,
        "scoresById": by_id,
        "segmentCountsById": counts_by_id,
        "scoresByCode": by_code,
        "segmentCountsByCode": counts_by_code,
    }


def lifecycle_counts(con, f, r_active, r_lapsed, new_extra, occasional_extra, new_max=1, loyal_min=5):
    """Stage counts from hand-written conditions (SQL three-valued logic: a row is in when the WHERE is TRUE)."""
    stages = {
        "Prospect": f"{f} <= 0",
        "New": f"{f} > 0 AND {f} <= {new_max} AND {r_active}{new_extra}",
        "Occasional": f"{f} > 0 AND {f} < {loyal_min} AND {r_active} AND ({f} > {new_max}{occasional_extra})",
        "Loyal": f"{f} >= {loyal_min} AND {r_active}",
        "Lapsed": f"{f} > 0 AND {r_lapsed}",
    }
    counts = {name: con.execute(f"SELECT count(*) FROM customers WHERE {cond}").fetchone()[0] for name, cond in stages.items()}
    total = con.execute("SELECT count(*) FROM customers").fetchone()[0]
    counts["Unclassified"] = total - sum(counts.values())
    return counts


def lifecycle_expected(con):
    return [
        {
            "options": {},
            "counts": lifecycle_counts(con, "orders_count", "last_order_days <= 180", "last_order_days > 180", "", ""),
        },
        {
            "options": {"tenure": "first_order_days"},
            "counts": lifecycle_counts(
                con,
                "orders_count",
                "last_order_days <= 180",
                "last_order_days > 180",
                " AND first_order_days <= 30",
                " OR first_order_days > 30",
            ),
        },
        {
            "options": {
                "recency": "last_order_date",
                "referenceDate": REFERENCE_DATE,
                "thresholds": {"newMaxOrders": 2, "loyalMinOrders": 8, "lapsedAfterDays": 90},
            },
            "counts": lifecycle_counts(
                con,
                "orders_count",
                f"last_order_date >= DATE '{REFERENCE_DATE}' - INTERVAL 90 DAY",
                f"last_order_date < DATE '{REFERENCE_DATE}' - INTERVAL 90 DAY",
                "",
                "",
                new_max=2,
                loyal_min=8,
            ),
        },
    ]


def blobs():
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score
    from sklearn.preprocessing import StandardScaler

    rng = np.random.default_rng(7)
    centers = np.array([[1.0, 200.0, 0.1], [8.0, 9000.0, 0.9], [2.0, 6000.0, 0.5], [9.0, 1500.0, 0.2]])
    spread = np.array([0.25, 250.0, 0.02])
    sizes = [300, 200, 150, 100]
    points = np.vstack([c + rng.normal(size=(s, 3)) * spread for c, s in zip(centers, sizes)])
    order = rng.permutation(len(points))
    points = points[order]
    n = len(points) + 12
    cols = [np.concatenate([points[:, j], np.zeros(12)]) for j in range(3)]
    masks = [np.zeros(n, dtype=bool) for _ in range(3)]
    for i in range(12):  # rows with a null somewhere are not clustered
        masks[i % 3][len(points) + i] = True
    table = pa.table(
        {
            "visits": pa.array(cols[0], pa.float64(), mask=masks[0]),
            "revenue": pa.array(cols[1], pa.float64(), mask=masks[1]),
            "discount_rate": pa.array(cols[2].astype(np.float32), pa.float32(), mask=masks[2]),
            "segment_hint": pa.array(["x"] * n, pa.string()),
            "constant": pa.array(np.full(n, 3, dtype=np.int16), pa.int16()),
        }
    )
    # The reference reads exactly what the Rust side reads (float32 column widened to f64).
    x = np.column_stack(
        [
            table["visits"].to_numpy(zero_copy_only=False)[: len(points)],
            table["revenue"].to_numpy(zero_copy_only=False)[: len(points)],
            table["discount_rate"].to_numpy(zero_copy_only=False)[: len(points)].astype(np.float64),
        ]
    )
    scaler = StandardScaler()  # population std, like the Rust code
    z = scaler.fit_transform(x)
    per_k = []
    for k in range(2, 9):
        km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(z)
        counts = np.bincount(km.labels_, minlength=k)
        centroids = scaler.inverse_transform(km.cluster_centers_)
        order_k = sorted(range(k), key=lambda j: (-counts[j], list(km.cluster_centers_[j])))
        per_k.append(
            {
                "k": k,
                "sizes": [int(counts[j]) for j in order_k],
                "centroids": [[float(v) for v in centroids[j]] for j in order_k],
                "inertia": float(km.inertia_),
                "silhouette": float(silhouette_score(z, km.labels_)),
            }
        )
    best = max(per_k, key=lambda e: (e["silhouette"], -e["k"]))
    return table, {
        "columns": ["visits", "revenue", "discount_rate"],
        "rows": n,
        "clustered": len(points),
        "means": [float(v) for v in scaler.mean_],
        "stdDevs": [float(v) for v in scaler.scale_],
        "bestK": best["k"],
        "perK": per_k,
    }


def connect(table):
    con = duckdb.connect()
    con.register("customers", table)
    return con


def check_sql(paths):
    table = ipc.open_file(os.path.join(OUT, "customers.arrow")).read_all()
    con = connect(table)
    entries = [entry for path in paths for entry in json.load(open(path))]
    failures = 0
    for entry in entries:
        sql = entry["sql"]
        if sql.lstrip().upper().startswith(("SELECT", "WITH")):
            got = con.execute(f"SELECT count(*) FROM ({sql})").fetchone()[0]
        else:
            got = con.execute(f"SELECT count(*) FROM customers WHERE {sql}").fetchone()[0]
        status = "ok" if got == entry["size"] else "MISMATCH"
        failures += status != "ok"
        print(f"{status:8} {entry['group']:>10} {entry['name']:<20} rust={entry['size']:<5} duckdb={got}")
    print(f"{len(entries) - failures} passed, {failures} failed")
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--check-sql", metavar="JSON", nargs="+")
    args = parser.parse_args()
    if args.check_sql:
        sys.exit(check_sql(args.check_sql))
    os.makedirs(OUT, exist_ok=True)
    customers = customers_table()
    write_arrow(customers, "customers.arrow")
    con = connect(customers)
    with open(os.path.join(OUT, "rfm_expected.json"), "w") as f:
        json.dump(rfm_expected(con), f, indent=None, separators=(",", ":"), sort_keys=True)
    with open(os.path.join(OUT, "lifecycle_expected.json"), "w") as f:
        json.dump(lifecycle_expected(con), f, indent=2, sort_keys=True)
    table, expected = blobs()
    write_arrow(table, "blobs.arrow")
    with open(os.path.join(OUT, "clusters_expected.json"), "w") as f:
        json.dump(expected, f, indent=2, sort_keys=True)
    versions = {"duckdb": duckdb.__version__, "pyarrow": pa.__version__, "numpy": np.__version__}
    import sklearn

    versions["scikit-learn"] = sklearn.__version__
    print("wrote", OUT, versions)


if __name__ == "__main__":
    main()
