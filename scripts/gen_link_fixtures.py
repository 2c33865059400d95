#!/usr/bin/env python3
"""Generate the linked-table fixtures checked by tests/segments_links.rs, with DuckDB as the oracle.

Writes, deterministically (fixed seed, reference date 2026-11-01):

* tests/fixtures/links/customers.arrow -- Arrow IPC file, 2 batches: "Email" with case and space variants of the
  same addresses, nulls and addresses without orders; "Name".
* tests/fixtures/links/orders.arrow -- Arrow IPC file, 3 batches: "Email" (variants again, nulls, addresses of no
  customer), "Created at" (date32), "Total" (float64, some null), "Lineitem sku" (utf8).
* tests/fixtures/links/cases.json -- [{rule, aggregate, column, where, where_sql, op, value, mode, count, sql}]: each
  link test (also as rule text), the number of customers DuckDB counts for a hand-written correlated subquery, and the text
  `link_sql(DuckDb)` must write (checked here to run in DuckDB with the same count).

Regenerate (from the repository root): `python3 scripts/gen_link_fixtures.py`. It runs in the "data"
environment of scripts/pyenv.py (duckdb, pyarrow).
"""
import datetime as dt
import json
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "links")


import pyenv  # noqa: E402

pyenv.use("data")

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402

rng = random.Random(20261101)
REFERENCE = dt.date(2026, 11, 1)
USERS = [f"user{i}@example.com" for i in range(60)] + ["οδος@example.gr", "ΟΔΟΣ@example.gr"]


def variant(address):
    """The same address as a shop export might spell it: case and surrounding spaces vary."""
    r = rng.random()
    if r < 0.2:
        address = address.upper()
    elif r < 0.3:
        address = address.capitalize()
    if rng.random() < 0.2:
        address = "  " + address + " "
    return address


def customers():
    emails, names = [], []
    for i, u in enumerate(USERS):
        emails.append(None if i % 17 == 5 else variant(u))
        names.append(f"Customer {i}")
    # A duplicate customer row (same person twice), blank keys (no key for email/text, a key for none) and a
    # key with a tab, which SQL's trim keeps.
    emails += [variant(USERS[3]), "", "   ", USERS[8] + "\t"]
    names += ["Duplicate", "Empty", "Blank", "Tab"]
    schema = pa.schema([("Email", pa.utf8()), ("Name", pa.utf8())])
    half = len(emails) // 2
    return schema, [
        pa.record_batch([pa.array(emails[:half]), pa.array(names[:half])], schema=schema),
        pa.record_batch([pa.array(emails[half:]), pa.array(names[half:])], schema=schema),
    ]


def orders():
    schema = pa.schema(
        [("Email", pa.utf8()), ("Created at", pa.date32()), ("Total", pa.float64()), ("Lineitem sku", pa.utf8())]
    )
    batches = []
    for _ in range(3):
        rows = {k: [] for k in schema.names}
        for _ in range(120):
            r = rng.random()
            email = None if r < 0.05 else ("stranger@example.com" if r < 0.1 else variant(rng.choice(USERS[:40] + USERS[60:])))
            rows["Email"].append(email)
            rows["Created at"].append(None if rng.random() < 0.03 else REFERENCE - dt.timedelta(days=rng.randrange(0, 500)))
            rows["Total"].append(None if rng.random() < 0.1 else round(rng.uniform(5, 300), 2))
            rows["Lineitem sku"].append(rng.choice(["GIFT-25", "TEE-M", "MUG", "gift-25", None]))
        if len(batches) == 2:
            # Blank and tab-padded keys (after the random rows, so the random stream is unchanged).
            for email in ["", "  ", "", USERS[8] + "\t", "\t" + USERS[9]]:
                rows["Email"].append(email)
                rows["Created at"].append(REFERENCE)
                rows["Total"].append(50.0)
                rows["Lineitem sku"].append("MUG")
        batches.append(pa.record_batch([pa.array(rows[k], type=schema.field(k).type) for k in schema.names], schema=schema))
    return schema, batches


def write(path, schema, batches):
    with pa.OSFile(path, "wb") as f, pa.ipc.new_file(f, schema) as w:
        for b in batches:
            w.write_batch(b)


# The key normalizations as docs/prepare.md defines them (one for prepare and links): SQL's trim (spaces only),
# case folding, and for email/text a blank key is no key (NULLIF), so it matches nothing.
KEY_SQL = {"email": "NULLIF(lower(trim({})), '')", "text": "NULLIF(lower(upper(trim({}))), '')", "none": "{}"}
AGG_SQL = {"COUNT": "COUNT(*)", "SUM": 'SUM(o."{c}")', "MIN": 'MIN(o."{c}")', "MAX": 'MAX(o."{c}")'}

# (aggregate, value column, inner rule in segmetry's language, the same condition in DuckDB SQL, op, value, mode)
CASES = [
    ("COUNT", None, None, None, ">=", 2, "email"),
    ("COUNT", None, '"Created at" >= -90d', "o.\"Created at\" >= DATE '2026-08-03'", ">=", 2, "email"),
    ("COUNT", None, '"Created at" >= -90d', "o.\"Created at\" >= DATE '2026-08-03'", "=", 0, "email"),
    ("COUNT", None, None, None, ">=", 1, "none"),
    ("COUNT", None, None, None, ">=", 1, "text"),
    ("COUNT", None, '"Lineitem sku" = \'GIFT-25\'', "o.\"Lineitem sku\" = 'GIFT-25'", ">", 0, "email"),
    ("COUNT", None, "lower(\"Lineitem sku\") = 'gift-25'", "lower(o.\"Lineitem sku\") = 'gift-25'", ">=", 2, "email"),
    ("COUNT", None, "Total > 100 OR Total IS NULL", "o.\"Total\" > 100 OR o.\"Total\" IS NULL", "<", 3, "email"),
    ("EXISTS", None, None, None, None, None, "email"),
    ("EXISTS", None, '"Lineitem sku" = \'GIFT-25\'', "o.\"Lineitem sku\" = 'GIFT-25'", None, None, "email"),
    ("EXISTS", None, '"Created at" >= -30d', "o.\"Created at\" >= DATE '2026-10-02'", None, None, "text"),
    ("EXISTS", None, '"Created at" >= -30d', "o.\"Created at\" >= DATE '2026-10-02'", None, None, "none"),
    ("SUM", "Total", '"Created at" >= -365d', "o.\"Created at\" >= DATE '2025-11-01'", ">", 500, "email"),
    ("SUM", "Total", None, None, "<=", 1500, "email"),
    ("SUM", "Total", None, None, "!=", 0, "none"),
    ("MIN", "Total", None, None, "<", 20, "email"),
    ("MAX", "Total", '"Lineitem sku" = \'MUG\'', "o.\"Lineitem sku\" = 'MUG'", ">=", 250, "email"),
    ("MIN", "Created at", None, None, "<", 20454, "email"),
    ("MAX", "Created at", None, None, ">=", 20728, "text"),
    ("MAX", "Total", '"Lineitem sku" IS NULL', "o.\"Lineitem sku\" IS NULL", "<", 100, "email"),
]


def link_test(agg, column, where_sql, op, value, mode, outer, value_sql):
    key = KEY_SQL[mode]
    cond = key.format('o."Email"') + " = " + key.format(outer + '."Email"')
    if where_sql:
        cond += f" AND ({where_sql})"
    if agg == "EXISTS":
        return f'EXISTS (SELECT 1 FROM "orders" o WHERE {cond})'
    expr = AGG_SQL[agg].format(c=column)
    return f'(SELECT {expr} FROM "orders" o WHERE {cond}) {op} {value_sql}'


def duck_count(con, where):
    return con.execute(f"SELECT count(*) FROM customers c WHERE {where}").fetchone()[0]


def oracle(con, agg, column, where_sql, op, value, mode):
    """DuckDB's count, written by hand: dates compared as days since the epoch, as the evaluator reads them."""
    if column == "Created at":
        key = KEY_SQL[mode]
        cond = key.format('o."Email"') + " = " + key.format('c."Email"')
        if where_sql:
            cond += f" AND ({where_sql})"
        expr = f"{agg}(date_diff('day', DATE '1970-01-01', o.\"Created at\"))"
        return duck_count(con, f"(SELECT {expr} FROM orders o WHERE {cond}) {op} {value}")
    return duck_count(con, link_test(agg, column, where_sql, op, value, mode, "c", str(value)))


def our_form(agg, column, where_sql, op, value, mode):
    """The text `link_sql(DuckDb, …, outer = "c")` must write: the inner rule's own `toSql` (unqualified
    columns, which resolve to the linked table inside the subquery) and date thresholds as DATE literals."""
    inner = where_sql.replace('o."', '"') if where_sql else None
    value_sql = str(value)
    if column == "Created at":
        value_sql = f"DATE '{dt.date(1970, 1, 1) + dt.timedelta(days=value)}'"
    return link_test(agg, column, inner, op, value, mode, '"c"', value_sql)


def rule_text(agg, column, where, op, value):
    """The link test in segmetry's rule language."""
    target = "orders" + (f'."{column}"' if column else "")
    if where:
        target += f" WHERE {where}"
    if op is None:
        return f"{agg}({target})"
    if column == "Created at":
        value = dt.date(1970, 1, 1) + dt.timedelta(days=value)
    return f"{agg}({target}) {op} {value}"


def main():
    os.makedirs(OUT, exist_ok=True)
    cs, cb = customers()
    os_, ob = orders()
    write(os.path.join(OUT, "customers.arrow"), cs, cb)
    write(os.path.join(OUT, "orders.arrow"), os_, ob)
    con = duckdb.connect()
    con.register("customers", pa.Table.from_batches(cb, cs))
    con.register("orders", pa.Table.from_batches(ob, os_))
    cases = []
    for agg, column, where, where_sql, op, value, mode in CASES:
        count = oracle(con, agg, column, where_sql, op, value, mode)
        sql = our_form(agg, column, where_sql, op, value, mode)
        # The SQL our writer must produce runs in DuckDB and counts what the hand-written oracle counts.
        assert duck_count(con, sql) == count, (sql, count)
        cases.append(dict(rule=rule_text(agg, column, where, op, value), aggregate=agg, column=column, where=where, where_sql=where_sql, op=op, value=value,
                          mode=mode, count=count, sql=sql))
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump(cases, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(cases)} cases to {OUT}")


main()
