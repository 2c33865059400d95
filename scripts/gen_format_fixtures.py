#!/usr/bin/env python3
"""Small committed fixtures for the CSV/Parquet readers (formats/, js/formats.js, js/client.js tests).

    python3 scripts/gen_format_fixtures.py      # writes tests/fixtures/formats/* (environment: pyenv "data")

Deterministic (no clock, no randomness). Writes:
  customers.arrow                 the reference table as an Arrow IPC stream (what every conversion must equal)
  customers.<codec>.parquet       the same table in Parquet with 4 row groups: uncompressed, snappy, gzip,
                                  lz4 (pyarrow writes LZ4_RAW), zstd, brotli
  nested.parquet                  id + a list<string> column + a struct column (UNSUPPORTED_TYPE / skipUnsupported)
  malformed.parquet               customers.snappy.parquet cut in half (truncated footer)
Not written here: page-data-crash.parquet, a byte-corrupted Parquet file on which the parquet crate panics deep in
page decoding (kept from `SAVE_CRASH=dir cargo test -p segmetry-formats --test parquet`); the JS test checks that
the wasm trap becomes INVALID_PARQUET and that the next conversion works.
  customers.csv                   the same table as CSV, with names that need quoting (comma, quote, newline)
  semicolon.csv                   ';' delimiter with decimal commas (read as float64) and a quoted ';'
  malformed.csv                   a ragged row on physical line 5 (a quoted value spans lines 2–3)
  expected.json                   what the tests check that is not in customers.arrow (error lines, columns)
"""

import csv
import io
import json
import os
from datetime import date, datetime, timedelta, timezone

import pyenv

pyenv.use("data")

import pyarrow as pa  # noqa: E402
import pyarrow.ipc as ipc  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "formats")
ROWS = 200
NAMES = ["Smith, John", 'Dwayne "The Rock"', "multi\nline", "plain", "Åsa Ölund", ""]


def table() -> pa.Table:
    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    return pa.table({
        "customer_id": pa.array([1000 + i for i in range(ROWS)], pa.int64()),
        "name": pa.array([NAMES[i % len(NAMES)] if i % 6 != 5 else None for i in range(ROWS)], pa.string()),
        "country": pa.array([None if i % 9 == 0 else ["FI", "SE", "NO", "DK"][i % 4] for i in range(ROWS)]),
        "orders": pa.array([None if i % 5 == 0 else i % 13 for i in range(ROWS)], pa.int64()),
        "revenue": pa.array([None if i % 7 == 0 else round(i * 1.25, 2) for i in range(ROWS)], pa.float64()),
        "active": pa.array([None if i % 11 == 0 else i % 2 == 0 for i in range(ROWS)], pa.bool_()),
        "signup": pa.array([date(2023, 1, 1) + timedelta(days=i) for i in range(ROWS)], pa.date32()),
        "last_seen": pa.array([base + timedelta(hours=7 * i) for i in range(ROWS)], pa.timestamp("s")),
        "variant": pa.array(["control" if i % 2 == 0 else "treatment" for i in range(ROWS)]),
        "converted": pa.array([i % 3 == 0 for i in range(ROWS)], pa.bool_()),
    })


def csv_value(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S")
    return str(v)


def main():
    os.makedirs(OUT, exist_ok=True)
    t = table()
    # Timestamps without a time zone: what CSV inference produces (timestamp[s]) — so all files compare equal.
    t = t.set_column(t.schema.get_field_index("last_seen"), "last_seen",
                     pa.array([datetime(2024, 1, 1) + timedelta(hours=7 * i) for i in range(ROWS)], pa.timestamp("s")))
    with ipc.new_stream(os.path.join(OUT, "customers.arrow"), t.schema) as w:
        w.write_table(t, max_chunksize=64)
    for codec in ["none", "snappy", "gzip", "lz4", "zstd", "brotli"]:
        name = "uncompressed" if codec == "none" else codec
        pq.write_table(t, os.path.join(OUT, f"customers.{name}.parquet"), compression=codec, row_group_size=64)

    with open(os.path.join(OUT, "customers.snappy.parquet"), "rb") as f:
        good = f.read()
    with open(os.path.join(OUT, "malformed.parquet"), "wb") as f:
        f.write(good[: len(good) // 2])

    nested = pa.table({
        "id": pa.array([1, 2, 3], pa.int64()),
        "tags": pa.array([["a", "b"], None, ["c"]], pa.list_(pa.string())),
        "address": pa.array([{"city": "Oulu", "zip": "90100"}, None, {"city": "Turku", "zip": "20100"}]),
        "score": pa.array([0.5, None, 1.5], pa.float64()),
    })
    pq.write_table(nested, os.path.join(OUT, "nested.parquet"), compression="snappy")

    rows = t.to_pylist()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(t.column_names)
    for r in rows:
        w.writerow([csv_value(r[c]) for c in t.column_names])
    with open(os.path.join(OUT, "customers.csv"), "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())

    with open(os.path.join(OUT, "semicolon.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("customer;amount;city;joined\n"
                "Ann;1,5;Oulu;2024-01-05\n"
                "Bob;2,75;\"Turku; FI\";2024-02-29\n"
                "Cy;;Espoo;\n")

    with open(os.path.join(OUT, "malformed.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("id,name,amount\n"
                "1,\"two\nlines\",3\n"
                "2,ok,4\n"
                "3,\"Smith, John\",5,extra\n"
                "4,fine,6\n")

    expected = {
        "rows": ROWS,
        "csvTypes": {
            "customer_id": "int64", "name": "utf8", "country": "utf8", "orders": "int64", "revenue": "float64",
            "active": "bool", "signup": "date32", "last_seen": "timestamp[s]", "variant": "utf8", "converted": "bool",
        },
        "semicolon": {"delimiter": ";", "rows": 3,
                      "types": {"customer": "utf8", "amount": "float64", "city": "utf8", "joined": "date32"}},
        "malformedCsv": {"code": "INVALID_CSV", "line": 5, "column": 4},
        "nested": {"unsupported": ["tags", "address"], "kept": ["id", "score"]},
    }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
