#!/usr/bin/env python3
"""Generate the segment-rule fixtures checked by tests/segments_duckdb.rs, with DuckDB as the oracle.

Writes, deterministically (fixed seed, fixed reference date 2026-11-01):

* tests/fixtures/segments/customers.arrow -- an Arrow IPC *file* with 4 record batches (4000 rows): int64 ids
  beyond 2^53, dictionary and plain strings (with quotes, %, _ and non-ASCII), null-heavy columns, int8/int32,
  uint64 near 2^64, decimal128, float64 with NaN, float32, bool, date32 (month ends), date64, timestamps in
  s/ms/us/ns with and without time zone (ns values with sub-microsecond parts), and a column with a space.
* tests/fixtures/segments/rules.json -- [{rule, sql, count}]: each rule with an independently hand-written
  DuckDB WHERE clause and the count DuckDB gives for it.
* tests/fixtures/segments/to_sql_counts.json -- only when tests/fixtures/segments/to_sql.json exists
  ({rule: sql} as produced by the Rust `Rule::to_sql(DuckDb)`): [{rule, sql, count}] with DuckDB's count for
  the Rust-generated SQL.

DuckDB runs with a non-UTC session time zone on purpose: the SQL must not depend on it.

Regenerate (from the repository root):

    python3 scripts/gen_segment_fixtures.py                      # venv, data, rules.json (+ counts if to_sql.json)
    CARGO_TARGET_DIR=target/segments cargo test --test segments_duckdb -- --ignored write_to_sql
    python3 scripts/gen_segment_fixtures.py                      # again: to_sql_counts.json for the new SQL

The script runs in the "data" environment of scripts/pyenv.py (duckdb, pyarrow).
"""
import datetime as dt
import decimal
import json
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "segments")


import pyenv  # noqa: E402

pyenv.use("data")

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402

N_BATCHES = 4
BATCH = 1000
rng = random.Random(20261101)


def maybe(p_null, value):
    return None if rng.random() < p_null else value


EPOCH = dt.date(1970, 1, 1)
MONTH_ENDS = [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2024, 2, 29), dt.date(2026, 4, 30),
              dt.date(2026, 5, 1), dt.date(2026, 8, 3), dt.date(2026, 8, 2), dt.date(2025, 11, 1),
              dt.date(2026, 10, 31), dt.date(2026, 11, 1), dt.date(2026, 8, 9)]


def days(d):
    return (d - EPOCH).days


COUNTRIES = ["FI", "SE", "US", "DE", "NO", "Côte d'Ivoire", "fi", "", "ZZ-unused"]


def make_batch(b):
    rows = range(BATCH)
    countries = COUNTRIES
    ids, country, email, orders, spent, score, ratio, sub, signup, signup64 = ([] for _ in range(10))
    seen_ms, ts_ns, ts_s, ts_us_tz, tier, big_u, first = ([] for _ in range(7))
    for i in rows:
        r = b * BATCH + i
        ids.append(2**53 + r if r % 7 else None if r % 14 == 0 else 2**53 + r)
        country.append(maybe(0.2, rng.choice(COUNTRIES[:-1])))
        local = rng.choice(["anna", "bo_b", "c%d", "it's", "ÄÖ", "mike.smith", "x"])
        domain = rng.choice(["gmail.com", "example.fi", "shop.se", "GMAIL.COM"])
        email.append(maybe(0.4, f"{local}@{domain}"))
        orders.append(maybe(0.1, rng.choice([0, 1, 2, 3, 3, 4, 7, 10, 25, -1])))
        spent.append(maybe(0.15, decimal.Decimal(rng.randint(-500, 200000)) / 100))
        s = rng.choice([None, float("nan"), 0.0, -0.0, 0.1, 0.5, 1.5, 2.0, 1e308, -3.25, rng.uniform(0, 5)])
        score.append(s)
        ratio.append(maybe(0.1, rng.choice([0.1, 0.2, 0.3, 0.5, 1.0, 0.7])))
        sub.append(maybe(0.3, rng.random() < 0.5))
        d = rng.choice(MONTH_ENDS) if rng.random() < 0.3 else EPOCH + dt.timedelta(days=rng.randint(days(dt.date(2020, 1, 1)), days(dt.date(2026, 11, 2))))
        signup.append(maybe(0.25, d))
        signup64.append(maybe(0.25, d))
        base_s = rng.randint(days(dt.date(2025, 6, 1)) * 86400, days(dt.date(2026, 11, 2)) * 86400)
        if rng.random() < 0.2:
            base_s = rng.choice([days(dt.date(2026, 8, 3)) * 86400, days(dt.date(2026, 8, 3)) * 86400 - 1,
                                 days(dt.date(2026, 8, 3)) * 86400 + 43200])
        seen_ms.append(maybe(0.2, base_s * 1000 + rng.choice([0, 1, 999])))
        ts_ns.append(maybe(0.2, base_s * 10**9 + rng.choice([0, 1, 500, 999, 1000, 999_999_999])))
        ts_s.append(maybe(0.2, base_s))
        ts_us_tz.append(maybe(0.2, base_s * 10**6 + rng.choice([0, 1, 500_000])))
        tier.append(maybe(0.1, rng.randint(-3, 5)))
        big_u.append(maybe(0.1, rng.choice([0, 1, 2**63, 2**64 - 1, 2**53 + 1, 2**53])))
        first.append(maybe(0.1, rng.choice(["Ann", "ann", "Bob", "Bo", "O'Neil", "Zoë"])))
    sp = [decimal.Decimal(x) if x is not None else None for x in spent]
    cols = {
        "customer_id": pa.array(ids, pa.int64()),
        # One dictionary shared by all batches (IPC files allow no replacement); keys with nulls.
        "country": pa.DictionaryArray.from_arrays(
            pa.array([None if c is None else COUNTRIES.index(c) for c in country], pa.int16()),
            pa.array(COUNTRIES, pa.string())),
        "email": pa.array(email, pa.string()),
        "orders_count": pa.array(orders, pa.int32()),
        "total_spent": pa.array(sp, pa.decimal128(12, 2)),
        "score": pa.array(score, pa.float64()),
        "ratio": pa.array(ratio, pa.float32()),
        "is_subscribed": pa.array(sub, pa.bool_()),
        "signup_date": pa.array(signup, pa.date32()),
        "signup_d64": pa.array(signup64, pa.date64()),
        "last_seen": pa.array(seen_ms, pa.timestamp("ms", tz="UTC")),
        "event_ns": pa.array(ts_ns, pa.timestamp("ns")),
        "event_s": pa.array(ts_s, pa.timestamp("s")),
        "visit_us_tz": pa.array(ts_us_tz, pa.timestamp("us", tz="Europe/Helsinki")),
        "tier": pa.array(tier, pa.int8()),
        "big_u": pa.array(big_u, pa.uint64()),
        "first name": pa.array(first, pa.large_string()),
    }
    return pa.record_batch(list(cols.values()), names=list(cols.keys()))


# (rule, independently hand-written DuckDB condition). Reference date 2026-11-01:
# -90d = 2026-08-03, -12w = 2026-08-09, -6m = 2026-05-01, -1y = 2025-11-01.
RULES = [
    ("country IN ('FI', 'SE') AND orders_count >= 3", "country IN ('FI','SE') AND orders_count >= 3"),
    ("country = 'FI'", "country = 'FI'"),
    ("country != 'US'", "country <> 'US'"),
    ("country NOT IN ('US', 'DE')", "country NOT IN ('US','DE')"),
    ("country < 'G'", "country < 'G'"),
    ("country >= 'fi'", "country >= 'fi'"),
    ("country = 'Côte d''Ivoire'", "country = 'Côte d''Ivoire'"),
    ("country = ''", "country = ''"),
    ("country IS NULL", "country IS NULL"),
    ("country IS NOT NULL OR orders_count > 5", "country IS NOT NULL OR orders_count > 5"),
    ("NOT country = 'FI'", "NOT (country = 'FI')"),
    ("country BETWEEN 'DE' AND 'NO'", "country >= 'DE' AND country <= 'NO'"),
    ("email CONTAINS 'gmail'", "strpos(email, 'gmail') > 0"),
    ("email NOT CONTAINS 'gmail'", "NOT (strpos(email, 'gmail') > 0)"),
    ("email STARTS WITH 'bo_'", "left(email, 3) = 'bo_'"),
    ("email ENDS WITH '.fi'", "right(email, 3) = '.fi'"),
    ("email CONTAINS '%'", "strpos(email, '%') > 0"),
    ("email CONTAINS ''", "email IS NOT NULL"),
    ("email STARTS WITH 'it''s'", "left(email, 4) = 'it''s'"),
    ("email IN ('x@gmail.com', 'anna@shop.se')", "email = 'x@gmail.com' OR email = 'anna@shop.se'"),
    ("orders_count BETWEEN 2 AND 4", "orders_count >= 2 AND orders_count <= 4"),
    ("orders_count NOT BETWEEN 2 AND 4", "NOT (orders_count >= 2 AND orders_count <= 4)"),
    ("orders_count > 2.5", "orders_count >= 3"),
    ("orders_count = 3.0", "orders_count = 3"),
    ("orders_count = 3.5", "FALSE AND orders_count IS NULL"),
    ("orders_count != 3", "orders_count <> 3"),
    ("orders_count < 0", "orders_count < 0"),
    ("orders_count <= -1", "orders_count <= -1"),
    ("orders_count IN (0, 1, 25)", "orders_count = 0 OR orders_count = 1 OR orders_count = 25"),
    ("orders_count IS NULL OR orders_count < 1", "orders_count IS NULL OR orders_count < 1"),
    ("NOT (orders_count > 3 OR country = 'US')", "NOT (orders_count > 3 OR country = 'US')"),
    ("NOT (orders_count > 3 AND country = 'US')", "NOT (orders_count > 3 AND country = 'US')"),
    ("customer_id = 9007199254740993", "customer_id = 9007199254740993"),
    ("customer_id > 9007199254741992", "customer_id > 9007199254741992"),
    ("customer_id BETWEEN 9007199254740992 AND 9007199254741000", "customer_id >= 9007199254740992 AND customer_id <= 9007199254741000"),
    ("big_u = 18446744073709551615", "big_u = 18446744073709551615"),
    ("big_u > 9007199254740992", "big_u > 9007199254740992"),
    ("big_u >= 9223372036854775808", "big_u >= 9223372036854775808"),
    ("big_u < 1", "big_u = 0"),
    ("tier >= -1 AND tier < 200", "tier >= -1"),
    ("tier > -200", "tier IS NOT NULL"),
    ("total_spent >= 100", "total_spent >= 100"),
    ("total_spent > 99.995", "total_spent >= 100.00"),
    ("total_spent = 12.5", "total_spent = 12.50"),
    ("total_spent < 0", "total_spent < 0"),
    ("total_spent BETWEEN -1.005 AND 1.005", "total_spent >= -1.00 AND total_spent <= 1.00"),
    ("score > 1", "score > 1"),
    ("score >= 0", "score >= 0"),
    ("score < 1.5", "score < 1.5"),
    ("score = 0", "score = 0"),
    ("score != 0.1", "score <> 0.1"),
    ("score BETWEEN 0 AND 2", "score >= 0 AND score <= 2"),
    ("score <= 1000000", "score <= 1000000"),
    ("NOT score > 1", "NOT (score > 1)"),
    ("score IN (0.5, 2)", "score = 0.5 OR score = 2"),
    ("ratio = 0.1", "ratio = CAST('0.1' AS FLOAT)"),
    ("ratio > 0.3", "ratio > CAST('0.3' AS FLOAT)"),
    ("ratio IN (0.2, 0.7)", "ratio = CAST('0.2' AS FLOAT) OR ratio = CAST('0.7' AS FLOAT)"),
    ("is_subscribed", "is_subscribed"),
    ("NOT is_subscribed", "NOT is_subscribed"),
    ("is_subscribed = FALSE", "is_subscribed = false"),
    ("is_subscribed != TRUE OR is_subscribed IS NULL", "NOT coalesce(is_subscribed, false)"),
    ("is_subscribed IN (TRUE, FALSE)", "is_subscribed IS NOT NULL"),
    ("signup_date >= -90d", "signup_date >= DATE '2026-08-03'"),
    ("signup_date > -12w", "signup_date > DATE '2026-08-09'"),
    ("signup_date >= -6m", "signup_date >= DATE '2026-05-01'"),
    ("signup_date < -1y", "signup_date < DATE '2025-11-01'"),
    ("signup_date = TODAY", "signup_date = DATE '2026-11-01'"),
    ("signup_date > today", "signup_date > DATE '2026-11-01'"),
    ("signup_date BETWEEN 2026-02-28 AND 2026-04-30", "signup_date >= DATE '2026-02-28' AND signup_date <= DATE '2026-04-30'"),
    ("signup_date IN (2024-02-29, 2026-01-31)", "signup_date = DATE '2024-02-29' OR signup_date = DATE '2026-01-31'"),
    ("signup_date > 2026-08-02T12:00:00Z", "signup_date >= DATE '2026-08-03'"),
    ("signup_date >= 2026-08-03T00:00:00Z", "signup_date >= DATE '2026-08-03'"),
    ("signup_date IS NULL AND country = 'FI'", "signup_date IS NULL AND country = 'FI'"),
    ("signup_d64 >= -90d", "signup_d64 >= DATE '2026-08-03'"),
    ("signup_d64 = 2026-02-28", "signup_d64 = DATE '2026-02-28'"),
    ("signup_d64 < 2026-08-02T12:00:00Z", "signup_d64 <= DATE '2026-08-02'"),
    ("last_seen >= -90d", "epoch_ms(last_seen) >= 1785715200000"),
    ("last_seen < 2026-08-03", "epoch_ms(last_seen) < 1785715200000"),
    ("last_seen > 2026-08-03T00:00:00Z", "epoch_ms(last_seen) > 1785715200000"),
    ("last_seen >= 2026-08-03T02:00:00.001+02:00", "epoch_ms(last_seen) >= 1785715200001"),
    ("last_seen BETWEEN 2026-08-02T23:59:59Z AND 2026-08-03T12:00:00Z", "epoch_ms(last_seen) BETWEEN 1785715199000 AND 1785758400000"),
    ("last_seen = 2026-08-03T00:00:00.999Z", "epoch_ms(last_seen) = 1785715200999"),
    ("event_ns > 2026-08-03T00:00:00.000000500Z", "epoch_ns(event_ns) > 1785715200000000500"),
    ("event_ns >= 2026-08-03T00:00:00.000001Z", "epoch_ns(event_ns) >= 1785715200000001000"),
    ("event_ns <= 2026-08-02T23:59:59.999999999Z", "epoch_ns(event_ns) <= 1785715199999999999"),
    ("event_ns < -90d", "epoch_ns(event_ns) < 1785715200000000000"),
    ("event_ns = 2026-08-03T12:00:00.000000001", "epoch_ns(event_ns) = 1785758400000000001"),
    ("event_s > 2026-08-02T23:59:58.5Z", "epoch(event_s) >= 1785715199"),
    ("event_s >= -6m", "epoch(event_s) >= 1777593600"),
    ("event_s = 2026-08-03T12:00:00Z", "epoch(event_s) = 1785758400"),
    ("visit_us_tz >= 2026-08-03T03:00:00+03:00", "epoch_us(visit_us_tz) >= 1785715200000000"),
    ("visit_us_tz < 2026-08-03", "epoch_us(visit_us_tz) < 1785715200000000"),
    ("visit_us_tz > 2026-08-03T12:00:00.000000Z", "epoch_us(visit_us_tz) > 1785758400000000"),
    ("visit_us_tz BETWEEN -1y AND -90d", "epoch_us(visit_us_tz) BETWEEN 1761955200000000 AND 1785715200000000"),
    ("\"first name\" = 'Ann'", "\"first name\" = 'Ann'"),
    ("\"first name\" STARTS WITH 'Bo'", "left(\"first name\", 2) = 'Bo'"),
    ("\"first name\" > 'O''Neil'", "\"first name\" > 'O''Neil'"),
    ("\"first name\" ENDS WITH 'ë'", "right(\"first name\", 1) = 'ë'"),
    ("(country = 'FI' OR country = 'SE') AND NOT is_subscribed AND orders_count IS NOT NULL",
     "(country = 'FI' OR country = 'SE') AND NOT is_subscribed AND orders_count IS NOT NULL"),
    ("NOT (NOT (country = 'FI' OR email CONTAINS 'gmail'))", "country = 'FI' OR strpos(email, 'gmail') > 0"),
    ("NOT (score > 1 OR ratio > 0.5) AND NOT tier = 0", "NOT (score > 1 OR ratio > CAST('0.5' AS FLOAT)) AND NOT (tier = 0)"),
    ("country = 'FI' OR country = 'SE' OR country = 'NO' OR country IS NULL",
     "country IN ('FI','SE','NO') OR country IS NULL"),
    ("orders_count >= 3 AND total_spent > 100 AND signup_date >= -1y AND last_seen >= -90d",
     "orders_count >= 3 AND total_spent > 100 AND signup_date >= DATE '2025-11-01' AND epoch_ms(last_seen) >= 1785715200000"),
]


def connect():
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'America/Los_Angeles'")
    except Exception:  # ICU unavailable: UTC only
        pass
    return con


def main():
    os.makedirs(OUT, exist_ok=True)
    batches = [make_batch(b) for b in range(N_BATCHES)]
    schema = batches[0].schema
    path = os.path.join(OUT, "customers.arrow")
    with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, schema) as writer:
        for b in batches:
            writer.write_batch(b)
    table = pa.ipc.open_file(path).read_all()
    con = connect()
    con.register("customers", table)

    def count(sql):
        return con.execute(f"SELECT count(*) FROM customers WHERE {sql}").fetchone()[0]

    rules = [{"rule": r, "sql": s, "count": count(s)} for r, s in RULES]
    with open(os.path.join(OUT, "rules.json"), "w", encoding="utf-8") as f:
        json.dump(rules, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{len(rules)} rules over {table.num_rows} rows -> {OUT}")

    to_sql = os.path.join(OUT, "to_sql.json")
    if os.path.exists(to_sql):
        with open(to_sql, encoding="utf-8") as f:
            generated = json.load(f)
        rows = [{"rule": r, "sql": s, "count": count(s)} for r, s in generated.items()]
        with open(os.path.join(OUT, "to_sql_counts.json"), "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(f"{len(rows)} Rust-generated SQL conditions counted")


if __name__ == "__main__":
    main()
