#!/usr/bin/env python3
"""Check toSql(postgres) of the random-rule suites against a real PostgreSQL (a manual check; no fixture).

The DuckDB counts of tests/fixtures/segments/{random_rules,tag_rules}.json are the reference. PostgreSQL gets the
tag table (tags.arrow: text[] for the list columns) and the text columns of customers.arrow; every rule whose SQL
only uses those columns must count the same in PostgreSQL. Rules on other columns are skipped (counted).

    cargo test --test differential_segments -- --ignored write_postgres_sql
    PGHOST=/path/to/socket/dir PGUSER=postgres python3 scripts/check_rules_postgres.py

Needs `psql` on PATH and a server it can reach (PGHOST, PGUSER, PGDATABASE as usual); it creates and replaces the
tables `tags` and `customers`. Runs in the "data" environment of scripts/pyenv.py (for pyarrow).
Last run (PostgreSQL 15.18): 161 rules agree (80 tag rules, 81 text rules), 0 disagree.
"""
import csv
import io
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
import pyenv  # noqa: E402

pyenv.use("data")

import pyarrow as pa  # noqa: E402

DIR = os.path.join(ROOT, "tests", "fixtures", "segments")
PSQL = ["psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1"]


def run(sql, data=None):
    return subprocess.run(PSQL + ["-c", sql], input=data, capture_output=True, text=True)


def pg_array(v):
    quote = lambda x: '"' + x.replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731
    return "{" + ",".join("NULL" if x is None else quote(x) for x in v) + "}"


def load(name, ddl, rows):
    run(f"DROP TABLE IF EXISTS {name}; CREATE TABLE {name} ({ddl})")
    buf = io.StringIO()
    w = csv.writer(buf)
    for row in rows:
        w.writerow(["\\N" if v is None else (pg_array(v) if isinstance(v, list) else v) for v in row])
    res = run(f"COPY {name} FROM STDIN WITH (FORMAT csv, NULL '\\N')", buf.getvalue())
    if res.returncode != 0:
        sys.exit(res.stderr)


def main():
    tags = pa.ipc.open_file(os.path.join(DIR, "tags.arrow")).read_all()
    load("tags", '"Tags" text[], tags_large text[], "tag text" text, tag_dict text',
         zip(*[tags.column(i).to_pylist() for i in range(4)]))
    customers = pa.ipc.open_file(os.path.join(DIR, "customers.arrow")).read_all()
    names = ["country", "email", "first name"]
    load("customers", ", ".join(f'"{n}" text' for n in names), zip(*[customers.column(n).to_pylist() for n in names]))
    with open(os.path.join(ROOT, "target", "segments_postgres_sql.json"), encoding="utf-8") as f:
        rows = json.load(f)
    ok = bad = skipped = 0
    for r in rows:
        res = run(f"SELECT count(*) FROM {r['table']} WHERE {r['postgres']}")
        if res.returncode != 0:
            if "column" in res.stderr and "does not exist" in res.stderr:
                skipped += 1
                continue
            bad += 1
            print("ERROR", r["rule"], "|", r["postgres"], "|", res.stderr.strip()[:300])
        elif int(res.stdout.strip()) != r["count"]:
            bad += 1
            print("DIFFERS", r["rule"], "| PostgreSQL", res.stdout.strip(), "DuckDB", r["count"], "|", r["postgres"])
        else:
            ok += 1
    print(f"{ok} rules agree with DuckDB, {bad} do not, {skipped} skipped (columns not loaded)")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
