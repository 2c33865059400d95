#!/usr/bin/env python3
"""Runs segmetry's sqlForAnalysis queries in real engines — DuckDB, Apache Spark (local mode) and, where its server
binaries are installed, PostgreSQL (a throwaway server on a unix socket, no TCP) — over the
analysis fixture's customers, and writes each engine's aggregate table as Arrow IPC.

Usage:
  python3 scripts/gen_scaleout_fixtures.py                       # → tests/fixtures/scaleout/ (committed fixtures)
  python3 scripts/gen_scaleout_fixtures.py --sql-dir D --out D   # what scripts/spark-identity.sh runs
  options: --engines duckdb,spark

Runs in the "spark" environment of scripts/pyenv.py (duckdb, pyarrow, pyspark; Spark needs Java 17).
Inputs: tests/fixtures/analysis/experiment.arrow (written to Parquet, the format a
warehouse would hold) and the queries <config>.<dialect>.sql (written by tests/fixtures/scaleout/write_sql.mjs
from tests/fixtures/scaleout/configs.json with the built package; without --sql-dir this script runs it).
Outputs: <engine>_<config>.arrow (Arrow IPC file; int64 counts, float64 sums, utf8 segment/variant) and
timings.json (seconds per engine step).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

import pyenv
from throwaway_postgres import postgres_bin, throwaway_postgres

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "scaleout")
DATA = os.path.join(ROOT, "tests", "fixtures", "analysis", "experiment.arrow")


SCHEMA_FIELDS = [
    ("segment", "string"), ("variant", "string"), ("n", "int64"), ("conversions", "int64"),
    ("conversion_nulls", "int64"), ("conversion_invalid", "int64"), ("revenue_sum", "float64"),
    ("revenue_sum_squares", "float64"), ("revenue_nulls", "int64"), ("covariate_sum", "float64"),
    ("covariate_sum_squares", "float64"), ("revenue_covariate_sum", "float64"), ("covariate_nulls", "int64"),
    ("overlapping_rows", "int64"),
]


def write_ipc(table, path):
    import pyarrow as pa
    with pa.OSFile(path, "wb") as sink, pa.ipc.new_file(sink, table.schema) as w:
        w.write_table(table)


def to_parquet(out):
    import pyarrow as pa
    import pyarrow.parquet as pq
    with pa.memory_map(DATA) as src:
        try:
            table = pa.ipc.open_file(src).read_all()
        except pa.ArrowInvalid:
            src.seek(0)
            table = pa.ipc.open_stream(src).read_all()
    path = os.path.join(out, "customers.parquet")
    pq.write_table(table, path)
    return path


def queries(sql_dir, dialect):
    found = {}
    for f in sorted(os.listdir(sql_dir)):
        if f.endswith(f".{dialect}.sql"):
            found[f[: -len(f".{dialect}.sql")]] = open(os.path.join(sql_dir, f)).read()
    if not found:
        sys.exit(f"no *.{dialect}.sql in {sql_dir}")
    return found


def run_duckdb(tables, sql_dir, out):
    """`tables`: {table name: Parquet path} (the customers, and linked tables the queries read)."""
    import duckdb
    con = duckdb.connect()
    for table, path in tables.items():
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
    for name, sql in queries(sql_dir, "duckdb").items():
        result = con.execute(sql)
        # DuckDB 2 renamed the Arrow fetch (the link fixtures run this with the "data" environment's DuckDB).
        table = result.to_arrow_table() if hasattr(result, "to_arrow_table") else result.arrow()
        write_ipc(table, os.path.join(out, f"duckdb_{name}.arrow"))
        print(f"[scaleout] duckdb {name}: {table.num_rows} aggregate rows", flush=True)


def run_spark(tables, sql_dir, out):
    import pyarrow as pa
    from pyspark.sql import SparkSession
    t0 = time.time()
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("segmetry-scaleout-identity")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    startup = time.time() - t0
    for table, path in tables.items():
        spark.read.parquet(path).createOrReplaceTempView(table)
    schema = pa.schema([(n, getattr(pa, t)()) for n, t in SCHEMA_FIELDS])
    for name, sql in queries(sql_dir, "spark").items():
        body = "\n".join(l for l in sql.splitlines() if not l.startswith("--"))
        df = spark.sql(body)
        cols = df.columns
        rows = [r.asDict() for r in df.collect()]
        arrays = {c: [r[c] for r in rows] for c in cols}
        table = pa.table({n: pa.array(arrays[n], type=schema.field(n).type) for n, _ in SCHEMA_FIELDS}, schema=schema)
        write_ipc(table, os.path.join(out, f"spark_{name}.arrow"))
        print(f"[scaleout] spark {name}: {table.num_rows} aggregate rows", flush=True)
    spark.stop()
    return startup


POSTGRES_TYPES = {"int64": "bigint", "int32": "integer", "int16": "smallint", "int8": "smallint", "string": "text",
                  "large_string": "text", "bool": "boolean", "double": "double precision", "float": "real",
                  "uint64": "numeric(20,0)", "date32[day]": "date", "date64[ms]": "date"}


def postgres_type(t):
    """The PostgreSQL column type for an Arrow type (timestamps with a zone as timestamptz: an instant)."""
    import pyarrow as pa
    if pa.types.is_decimal(t):
        return f"numeric({t.precision},{t.scale})"
    if pa.types.is_timestamp(t):
        return "timestamptz" if t.tz else "timestamp"
    return POSTGRES_TYPES[str(t)]


def run_postgres(tables, sql_dir, out):
    """A throwaway PostgreSQL server (unix socket only, no TCP), the rows loaded with COPY, the queries via psql."""
    import csv
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq
    with throwaway_postgres(port=55439) as (conn, base):
        for name, parquet in tables.items():
            table = pq.read_table(parquet)
            cols, arrays = [], []
            for f, col in zip(table.schema, table.columns):
                t = f.type
                if pa.types.is_dictionary(t):
                    col, t = pc.cast(col, pa.string()), pa.string()
                cols.append(f'"{f.name}" {postgres_type(t)}')
                arrays.append(col)
            csv_path = os.path.join(base, f"{name}.csv")
            pacsv.write_csv(pa.table(arrays, names=table.column_names), csv_path)
            os.chmod(csv_path, 0o644)
            subprocess.run(conn + ["-c", f"CREATE TABLE {name} ({', '.join(cols)})",
                                   "-c", f"\\copy {name} FROM '{csv_path}' WITH (FORMAT csv, HEADER true)"], check=True)
        schema = pa.schema([(n, getattr(pa, t)()) for n, t in SCHEMA_FIELDS])
        for name, sql in queries(sql_dir, "postgres").items():
            # NULL printed as \N: CSV alone cannot tell a NULL variant from the empty string '' (a real variant).
            res = subprocess.run(conn + ["--csv", "-P", "null=\\N"], input=sql, capture_output=True, text=True,
                                 check=True).stdout
            rows = list(csv.DictReader(res.splitlines()))
            conv = lambda v, t: None if v == "\\N" else (float(v) if t == "float64" else int(v) if t == "int64" else v)
            t = pa.table({n: pa.array([conv(r[n], ty) for r in rows], type=schema.field(n).type)
                          for n, ty in SCHEMA_FIELDS}, schema=schema)
            write_ipc(t, os.path.join(out, f"postgres_{name}.arrow"))
            print(f"[scaleout] postgres {name}: {t.num_rows} aggregate rows", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sql-dir")
    ap.add_argument("--out", default=FIXTURES)
    ap.add_argument("--engines", default="duckdb,spark,postgres",
                    help="postgres runs only where PostgreSQL's server binaries are installed")
    args = ap.parse_args()
    pyenv.use("spark")
    os.makedirs(args.out, exist_ok=True)
    sql_dir = args.sql_dir
    if sql_dir is None:
        sql_dir = args.out
        node = shutil.which("node") or sys.exit("node is needed to write the queries (the built package)")
        subprocess.check_call([node, os.path.join(FIXTURES, "write_sql.mjs"), sql_dir], cwd=ROOT)
    work = os.path.join(args.out, ".work")
    os.makedirs(work, exist_ok=True)
    tables = {"customers": to_parquet(work)}
    timings = {}
    engines = args.engines.split(",")
    if "duckdb" in engines:
        t = time.time()
        run_duckdb(tables, sql_dir, args.out)
        timings["duckdb_seconds"] = round(time.time() - t, 2)
    if "spark" in engines:
        t = time.time()
        timings["spark_startup_seconds"] = round(run_spark(tables, sql_dir, args.out), 2)
        timings["spark_seconds"] = round(time.time() - t, 2)
    if "postgres" in engines:
        if postgres_bin() is None:
            print("[scaleout] postgres: PostgreSQL server binaries not found; skipped", flush=True)
        else:
            t = time.time()
            run_postgres(tables, sql_dir, args.out)
            timings["postgres_seconds"] = round(time.time() - t, 2)
    shutil.rmtree(work, ignore_errors=True)
    with open(os.path.join(args.out, "timings.json"), "w") as f:
        json.dump(timings, f, indent=1)
    print(f"[scaleout] timings: {json.dumps(timings)}", flush=True)


if __name__ == "__main__":
    main()
