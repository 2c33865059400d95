#!/usr/bin/env python3
"""Link rules in the scale-out query, run by real engines: DuckDB, Apache Spark (local mode) and PostgreSQL (a
throwaway server on a unix socket), with scripts/gen_scaleout_fixtures.py's runners.

The segments are the 150 random link rules of tests/fixtures/segments/link_rules.json (COUNT/EXISTS/SUM/MIN/MAX over
`orders` with WHEREs in every form, mixed with predicates on the customers; scripts/gen_random_rule_fixtures.py),
grouped by the key normalization they are linked with, 25 a query. tests/scaleout_sql.rs writes the queries
(`write_link_queries`, run here through cargo) for customers.arrow linked to link_orders.arrow; each engine runs them
over the same rows (as Parquet; COPY for PostgreSQL) and its aggregate table is written as
tests/fixtures/scaleout/links/<engine>_<config>.arrow, which `link_engine_aggregates_give_the_analyze_report` checks
against `analyze` with the link (counts exact, floats to 1e-12 relative).

Timestamps: Spark and PostgreSQL hold microseconds, so `event_ns` (nanoseconds, most values not whole microseconds)
is truncated to microseconds on the way in; rules comparing it are left out of the configs (tests/scaleout_sql.rs),
since no engine but DuckDB could hold the data they test.

    python3 scripts/gen_scaleout_link_fixtures.py     # all three engines; Spark needs Java 17

All three engines' aggregates are committed and checked (LINK_ENGINES in tests/scaleout_sql.rs). The whole run
takes about 6 minutes on a shared 2-core machine (Spark 3 of them). While the queries carried one correlated
subquery per link aggregate, Spark's optimizer did not finish planning one of them in 50 minutes; they now join
one pre-aggregated table per link (src/segments/links_joined.rs).

Runs in the "spark" environment of scripts/pyenv.py.
"""
import os
import shutil
import subprocess
import sys

import pyenv

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEGMENTS = os.path.join(ROOT, "tests", "fixtures", "segments")
OUT = os.path.join(ROOT, "tests", "fixtures", "scaleout", "links")


def to_parquet(name, work):
    """An Arrow IPC fixture as Parquet, timestamps in microseconds (what Spark reads)."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    table = pa.ipc.open_file(os.path.join(SEGMENTS, f"{name}.arrow")).read_all()
    path = os.path.join(work, f"{name}.parquet")
    pq.write_table(table, path, coerce_timestamps="us", allow_truncated_timestamps=True)
    return path


def main():
    # DuckDB runs in the "data" environment: the link rules' DuckDB SQL uses lambdas (`lambda x: …`, DuckDB ≥ 1.3),
    # newer than the "spark" environment's DuckDB, and the random-rule counts came from that DuckDB too.
    duckdb_only = sys.argv[1:] == ["--duckdb"]
    pyenv.use("data" if duckdb_only else "spark")
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import gen_scaleout_fixtures as engines
    work = os.path.join(OUT, ".work-duckdb" if duckdb_only else ".work")
    os.makedirs(work, exist_ok=True)
    tables = {"customers": to_parquet("customers", work), "orders": to_parquet("link_orders", work)}
    if duckdb_only:
        engines.run_duckdb(tables, OUT, OUT)
    else:
        subprocess.check_call(["cargo", "test", "--quiet", "--test", "scaleout_sql", "--", "--ignored",
                               "write_link_queries"], cwd=ROOT)
        subprocess.check_call(["python3", os.path.abspath(__file__), "--duckdb"], cwd=ROOT)
        engines.run_spark(tables, OUT, OUT)
        if engines.postgres_bin() is None:
            sys.exit("PostgreSQL's server binaries are needed (Debian: postgresql)")
        engines.run_postgres(tables, OUT, OUT)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
