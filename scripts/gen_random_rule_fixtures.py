#!/usr/bin/env python3
"""Random segment rules over tests/fixtures/segments/customers.arrow, counted by DuckDB running our toSql().

Two sets: N_RULES rules over every column and operator (seed SEED), then N_TEXT_RULES rules that lean on the text
forms (lower/upper/trim around columns and literals, LIKE/ILIKE with `%`, `_` and ESCAPE, HAS/HAS ANY/HAS ALL on
text split at ',') from their own seed, so adding them left the first set unchanged. Besides, tags.arrow (written
here: list<utf8>, large_list<utf8>, comma-separated text and dictionary text tag columns with nulls, null elements,
spaces and mixed case) gets N_TAG_RULES HAS rules in tag_rules.json / tag_rules_sql.json, made the same way. And
link_orders.arrow (written here: 400 orders keyed by the customers' e-mails in other case and with spaces, nulls
and strangers; date, UTC timestamp, numbers, text, dictionary text, bool) gets N_LINK_RULES rules in
link_rules.json / link_rules_sql.json: COUNT/EXISTS/SUM/MIN/MAX over `orders` with WHEREs in every form (text
functions, LIKE/ILIKE, HAS, SQL typed literals such as DATE '2026-08-03'), mixed with predicates on the customers,
each row naming the key normalization (`mode`) the Rust side links with (customers.email = orders.Email).

Checked by tests/differential_segments.rs (`random_rules_to_sql_agrees_with_duckdb`). The script cannot call
Rust, so it follows the pattern of scripts/gen_segment_fixtures.py:

1. This script generates N rules with a seeded generator (rule text only: every column of the fixture, every
   operator, nested AND/OR/NOT, literals sampled from the data and from boundaries) and writes
   tests/fixtures/segments/random_rules.json = [{rule}].
2. An ignored Rust test writes the DuckDB SQL our `Rule::to_sql` produces for each rule
   (tests/fixtures/segments/random_rules_sql.json, and likewise for the tag and link sets = {rule: sql | null when the rule does not parse}).
3. This script again: runs each SQL in DuckDB (non-UTC session time zone on purpose) and rewrites
   random_rules.json = [{rule, sql, count}] (rules that did not parse are dropped; SQL that DuckDB rejects is
   kept as {rule, sql, error}, which tests/regressions.rs checks).

Regenerate (from the repository root):

    python3 scripts/gen_random_rule_fixtures.py
    CARGO_TARGET_DIR=target/fuzzing cargo test --test differential_segments -- --ignored write_random_rules_sql
    python3 scripts/gen_random_rule_fixtures.py

The script runs in the "data" environment of scripts/pyenv.py (duckdb, pyarrow).
"""
import datetime as dt
import json
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIR = os.path.join(ROOT, "tests", "fixtures", "segments")
RULES = os.path.join(DIR, "random_rules.json")
SQL = os.path.join(DIR, "random_rules_sql.json")
N_RULES = 300
SEED = 20260501
N_TEXT_RULES = 150
TEXT_SEED = 20261130
TAGS = os.path.join(DIR, "tags.arrow")
TAG_RULES = os.path.join(DIR, "tag_rules.json")
TAG_SQL = os.path.join(DIR, "tag_rules_sql.json")
N_TAG_RULES = 80
TAG_SEED = 20261201
LINK_ORDERS = os.path.join(DIR, "link_orders.arrow")
LINK_RULES = os.path.join(DIR, "link_rules.json")
LINK_SQL = os.path.join(DIR, "link_rules_sql.json")
N_LINK_RULES = 150
LINK_SEED = 20261202
REFERENCE = dt.date(2026, 11, 1)


import pyenv  # noqa: E402

pyenv.use("data")

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402

KEYWORDS = {"AND", "OR", "NOT", "IN", "IS", "NULL", "BETWEEN", "CONTAINS", "STARTS", "ENDS", "WITH", "TRUE", "FALSE",
            "TODAY"}


def ident(name):
    plain = (name[:1].isascii() and (name[:1].isalpha() or name[:1] == "_")
             and all(c.isascii() and (c.isalnum() or c == "_") for c in name) and name.upper() not in KEYWORDS)
    return name if plain else '"' + name.replace('"', '""') + '"'


def quote(s):
    return "'" + s.replace("'", "''") + "'"


def kind(t):
    if pa.types.is_dictionary(t) or pa.types.is_string(t) or pa.types.is_large_string(t):
        return "text"
    if pa.types.is_boolean(t):
        return "bool"
    if pa.types.is_date(t):
        return "date"
    if pa.types.is_timestamp(t):
        return "timestamp"
    return "number"


def fmt_number(v):
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return None
        text = repr(v)
        if "e" in text or "E" in text:
            return None
        return text
    return str(v)


def ts_text(ns):
    """Nanoseconds since the epoch as rule timestamp text (UTC wall clock, fraction trimmed)."""
    secs, frac = divmod(ns, 10**9)
    text = (dt.datetime(1970, 1, 1) + dt.timedelta(seconds=secs)).isoformat()
    if frac:
        text += "." + ("%09d" % frac).rstrip("0")
    return text


def fmt_temporal(v):
    if isinstance(v, str):
        return v
    if isinstance(v, dt.datetime):
        if v.tzinfo is not None:
            v = v.astimezone(dt.timezone.utc).replace(tzinfo=None)
            return v.isoformat() + "Z"
        return v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return None


class Gen:
    def __init__(self, table, rng, text_forms=False, typed_forms=False):
        self.rng = rng
        self.text_forms = text_forms
        self.typed_forms = typed_forms
        self.columns = [(f.name, kind(f.type), f.type) for f in table.schema]
        self.samples = {}
        for name, k, t in self.columns:
            col = table.column(name)
            if pa.types.is_timestamp(t):
                per = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}[t.unit]
                z = "Z" if t.tz is not None else ""
                values = [ts_text(v * per) + z for v in col.cast(pa.int64()).to_pylist() if v is not None]
            else:
                values = [v for v in col.to_pylist() if v is not None]
            self.samples[name] = values

    def literal(self, name, k):
        rng = self.rng
        sample = self.samples[name]
        if k == "text":
            pool = ["FI", "SE", "", "a", "Zoë", "O'Neil", "@gmail.com", "%", "_", "it's", "fi", "Côte d'Ivoire", "zz"]
            return quote(rng.choice(sample) if sample and rng.random() < 0.6 else rng.choice(pool))
        if k == "bool":
            return rng.choice(["TRUE", "FALSE", "true"])
        if k in ("date", "timestamp"):
            if self.typed_forms and rng.random() < 0.3:
                return self.typed_literal(name, k)
            r = rng.random()
            if r < 0.4 and sample:
                text = fmt_temporal(rng.choice(sample))
                if text:
                    return text
            if r < 0.6:
                return "-%d%s" % (rng.randrange(0, 400), rng.choice("dwmy"))
            if r < 0.65:
                return "TODAY"
            if r < 0.8:
                return rng.choice(["2026-08-03", "2026-02-28", "2024-02-29", "2026-11-01", "2020-01-17", "1970-01-01"])
            return rng.choice(["2026-08-03T12:00:00Z", "2026-08-03T12:00:00.000000001Z", "2026-08-03T14:00+02:00",
                               "2026-08-02T23:59:59.999Z", "2025-10-23T19:39:39", "2026-06-16T07:27:25.5-05:00"])
        # numbers
        if sample and rng.random() < 0.5:
            text = fmt_number(rng.choice(sample))
            if text:
                return text
        return rng.choice(["0", "1", "-1", "3", "2.5", "-0.5", "0.1", "0.2", "0.7", "100", "715.07", "1042.2",
                           "9007199254740993", "9007199254740992.5", "18446744073709551615", "9223372036854775808",
                           "-128", "127", "4.244251442799708", "1.5", "0.30000001"])

    def typed_literal(self, name, k):
        """A SQL typed literal (`DATE '2026-08-03'`, `TIMESTAMPTZ '2026-08-03 14:00:00+02:00'`, …), as toSql writes
        them, from the column's values or fixed boundaries."""
        rng = self.rng
        sample = [fmt_temporal(v) for v in self.samples[name]]
        text = rng.choice([t for t in sample if t] or ["2026-08-03"]) if rng.random() < 0.5 else rng.choice(
            ["2026-08-03", "2026-02-28", "2024-02-29", "2026-08-03T12:00:00", "2026-08-02T23:59:59.999",
             "2026-08-03T14:00:00+02:00", "2026-06-16T07:27:25.5-05:00", "2026-08-03T12:00:00.000000001"])
        if len(text) == 10 and rng.random() < 0.6:
            return f"DATE '{text}'"
        ty = rng.choice(["TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMP_NS", "timestamp"])
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        return f"{ty} '{text.replace('T', ' ', 1) if rng.random() < 0.5 else text}'"

    def predicate(self):
        rng = self.rng
        name, k, _ = rng.choice(self.columns)
        c = ident(name)
        neg = "NOT " if rng.random() < 0.3 else ""
        r = rng.random()
        if r < 0.08:
            return f"{c} IS {'NOT ' if rng.random() < 0.5 else ''}NULL"
        if k == "bool":
            if r < 0.4:
                return c
            if r < 0.6:
                return f"{c} IN ({', '.join(self.literal(name, k) for _ in range(rng.randint(1, 2)))})"
            return f"{c} {rng.choice(['=', '!=', '<>'])} {self.literal(name, k)}"
        if k == "text" and r < 0.35:
            op = rng.choice(["CONTAINS", "STARTS WITH", "ENDS WITH"])
            return f"{c} {neg}{op} {self.literal(name, k)}"
        if r < 0.5:
            return f"{c} {neg}BETWEEN {self.literal(name, k)} AND {self.literal(name, k)}"
        if r < 0.65:
            items = ", ".join(self.literal(name, k) for _ in range(rng.randint(1, 4)))
            return f"{c} {neg}IN ({items})"
        return f"{c} {rng.choice(['=', '!=', '<>', '<', '<=', '>', '>='])} {self.literal(name, k)}"

    def text_literal(self, name):
        """A text literal, sometimes wrapped in lower/upper/trim (folded by the parser) or with changed case/spaces."""
        rng = self.rng
        base = self.literal(name, "text")[1:-1].replace("''", "'")
        r = rng.random()
        if r < 0.2:
            base = base.upper()
        elif r < 0.35:
            base = "  " + base.lower() + " "
        if rng.random() < 0.15:
            return "%s(%s)" % (rng.choice(["lower", "UPPER", "trim"]), quote(base))
        return quote(base)

    def like_pattern(self, name):
        rng = self.rng
        sample = self.samples[name]
        word = rng.choice(sample) if sample and rng.random() < 0.7 else rng.choice(["Zoë", "it's", "gmail", "a"])
        out = ""
        for _ in range(rng.randint(1, 4)):
            r = rng.random()
            if r < 0.3:
                out += "%"
            elif r < 0.45:
                out += "_"
            elif r < 0.55:
                out += rng.choice(["!%", "!_", "!!"])
            else:
                i = rng.randrange(0, max(1, len(word)))
                out += word[i:i + rng.randint(1, 4)]
        return out

    def text_predicate(self):
        rng = self.rng
        name = rng.choice([n for n, k, _ in self.columns if k == "text"])
        c = ident(name)
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            c = "%s(%s)" % (rng.choice(["lower", "upper", "trim", "LOWER"]), c)
        neg = "NOT " if rng.random() < 0.25 else ""
        r = rng.random()
        if r < 0.35:
            op = rng.choice(["LIKE", "ILIKE"])
            pattern = self.like_pattern(name)
            if "!" in pattern:
                return f"{c} {neg}{op} {quote(pattern)} ESCAPE '!'"
            return f"{c} {neg}{op} {quote(pattern)}"
        if r < 0.55:
            mode = rng.choice(["", "ANY ", "ALL "])
            if mode:
                items = ", ".join(self.text_literal(name) for _ in range(rng.randint(1, 3)))
                return f"{c} {neg}HAS {mode}({items})"
            return f"{c} {neg}HAS {self.text_literal(name)}"
        if r < 0.7:
            items = ", ".join(self.text_literal(name) for _ in range(rng.randint(1, 3)))
            return f"{c} {neg}IN ({items})"
        if r < 0.8:
            return f"{c} {neg}{rng.choice(['CONTAINS', 'STARTS WITH', 'ENDS WITH'])} {self.text_literal(name)}"
        return f"{c} {rng.choice(['=', '!=', '<', '>='])} {self.text_literal(name)}"

    def leaf(self):
        if self.text_forms and self.rng.random() < 0.7:
            return self.text_predicate()
        return self.predicate()

    def rule(self, depth):
        return boolean_rule(self.rng, depth, self.leaf)


def boolean_rule(rng, depth, leaf):
    """A random rule at most `depth` levels deep: a leaf (`leaf()`: always at depth 0, else 30 %), NOT of a rule
    (20 % of the rest), or AND / OR (40 % each) of 2–3 rules, each parenthesised with probability 0.6. The one
    boolean-combination step of the customer rules (Gen) and the link rules (LinkGen)."""
    if depth == 0 or rng.random() < 0.3:
        return leaf()
    r = rng.random()
    if r < 0.2:
        return "NOT (" + boolean_rule(rng, depth - 1, leaf) + ")"
    op = " AND " if r < 0.6 else " OR "
    parts = []
    for _ in range(rng.randint(2, 3)):
        p = boolean_rule(rng, depth - 1, leaf)
        parts.append("(" + p + ")" if rng.random() < 0.6 else p)
    return op.join(parts)


def connect():
    con = duckdb.connect()
    try:
        con.execute("SET TimeZone = 'America/Los_Angeles'")
    except Exception:  # ICU unavailable: UTC only
        pass
    return con


def tag_table():
    """Tag columns of every supported shape, 600 rows, seeded."""
    rng = random.Random(TAG_SEED)
    words = ["vip", "VIP", " vip ", "gold", "Gold ", "ei-vip", "vip-candidate", "newsletter", "Ääni", "big spender", ""]
    lists, texts = [], []
    for _ in range(600):
        if rng.random() < 0.1:
            lists.append(None)
            texts.append(None)
            continue
        items = [None if rng.random() < 0.05 else rng.choice(words) for _ in range(rng.randint(0, 4))]
        lists.append(items)
        texts.append(",".join(i for i in items if i is not None))
    return pa.table({
        "Tags": pa.array(lists, pa.list_(pa.string())),
        "tags_large": pa.array(lists, pa.large_list(pa.large_string())),
        "tag text": pa.array(texts, pa.string()),
        "tag_dict": pa.array(texts, pa.string()).dictionary_encode(),
    })


def tag_rules():
    rng = random.Random(TAG_SEED + 1)
    pool = ["'vip'", "'VIP'", "' gold '", "'ei-vip'", "'big spender'", "'ääni'", "'none'", "''", "lower('GOLD')"]
    rules, seen = [], set()
    while len(rules) < N_TAG_RULES:
        parts = []
        for _ in range(rng.randint(1, 2)):
            c = rng.choice(["Tags", "tags_large", '"tag text"', "tag_dict"])
            neg = "NOT " if rng.random() < 0.25 else ""
            mode = rng.choice(["", "ANY ", "ALL "])
            if mode:
                parts.append(f"{c} {neg}HAS {mode}({', '.join(rng.choice(pool) for _ in range(rng.randint(1, 3)))})")
            else:
                parts.append(f"{c} {neg}HAS {rng.choice(pool)}")
        r = rng.choice([" AND ", " OR "]).join(parts)
        if rng.random() < 0.15:
            r = "NOT (" + r + ")"
        if r not in seen:
            seen.add(r)
            rules.append(r)
    return rules


def count_set(tables, rules, rules_path, sql_path):
    """Write rules_path: the rules only, or (when sql_path has their SQL) the rules with DuckDB's counts.

    `tables` maps names to Arrow tables; the first is the one counted (the others are linked tables). `rules` are
    rule texts or {rule, ...} rows whose other fields (the link's key mode) are kept."""
    rows_in = [r if isinstance(r, dict) else {"rule": r} for r in rules]
    texts = [r["rule"] for r in rows_in]
    generated = None
    if os.path.exists(sql_path):
        with open(sql_path, encoding="utf-8") as f:
            generated = json.load(f)
        if set(generated) != set(texts):
            print(f"{os.path.basename(sql_path)} is for other rules: writing the rules only; run the Rust writer again")
            generated = None
    if generated is None:
        rows = rows_in
        print(f"{len(rows)} rules -> {rules_path} (now run the ignored Rust test write_random_rules_sql, then this again)")
    else:
        con = connect()
        for name, table in tables.items():
            con.register(name, table)
        name = next(iter(tables))
        rows = []
        for row in rows_in:
            sql = generated[row["rule"]]
            if sql is None:
                continue
            try:
                count = con.execute(f"SELECT count(*) FROM {name} WHERE {sql}").fetchone()[0]
                rows.append({**row, "sql": sql, "count": count})
            except duckdb.Error as e:  # SQL DuckDB rejects: kept, with the error, for the regression test
                rows.append({**row, "sql": sql, "error": str(e).splitlines()[0]})
        errors = sum("error" in row for row in rows)
        print(f"{len(rows)} of {len(rules)} rules parsed; {len(rows) - errors} counted by DuckDB, {errors} rejected -> {rules_path}")
    with open(rules_path, "w", encoding="utf-8") as f:
        json.dump(rows, f, indent=1, ensure_ascii=False)
        f.write("\n")


def orders_table(customers):
    """Orders linked to customers.arrow by e-mail, 400 rows, seeded: keys in other case and with spaces, null and
    empty keys, addresses of no customer; a date, a UTC timestamp, numbers, text and dictionary text with nulls."""
    rng = random.Random(LINK_SEED)
    emails = sorted({e for e in customers.column("email").to_pylist() if e is not None})
    cols = {k: [] for k in ["Email", "Created at", "Paid at", "Total", "Quantity", "Lineitem sku", "channel",
                            "refunded"]}
    for _ in range(400):
        r = rng.random()
        if r < 0.05:
            key = None
        elif r < 0.1:
            key = rng.choice(["nobody@example.com", "", "  "])
        else:
            key = rng.choice(emails)
            key = key.upper() if rng.random() < 0.2 else key
            key = " " + key + "  " if rng.random() < 0.15 else key
        created = None if rng.random() < 0.05 else REFERENCE - dt.timedelta(days=rng.randrange(0, 800))
        paid = None
        if created is not None and rng.random() < 0.9:
            paid = dt.datetime.combine(created, dt.time()) + dt.timedelta(seconds=rng.randrange(0, 3 * 86400),
                                                                          microseconds=rng.choice([0, 1, 500000]))
        cols["Email"].append(key)
        cols["Created at"].append(created)
        cols["Paid at"].append(paid)
        cols["Total"].append(None if rng.random() < 0.08 else round(rng.uniform(0, 400), 2))
        cols["Quantity"].append(None if rng.random() < 0.05 else rng.randint(1, 5))
        cols["Lineitem sku"].append(rng.choice(["GIFT-25", "SHIRT-M", "shirt-l", "Mug", "it's", "50%-OFF", None]))
        cols["channel"].append(rng.choice(["email", "Email", "web", "shop", " email", None]))
        cols["refunded"].append(None if rng.random() < 0.1 else rng.random() < 0.2)
    return pa.table({
        "Email": pa.array(cols["Email"], pa.string()),
        "Created at": pa.array(cols["Created at"], pa.date32()),
        "Paid at": pa.array(cols["Paid at"], pa.timestamp("us", tz="UTC")),
        "Total": pa.array(cols["Total"], pa.float64()),
        "Quantity": pa.array(cols["Quantity"], pa.int32()),
        "Lineitem sku": pa.array(cols["Lineitem sku"], pa.string()),
        "channel": pa.array(cols["channel"], pa.string()).dictionary_encode(),
        "refunded": pa.array(cols["refunded"], pa.bool_()),
    })


class LinkGen:
    """Rules mixing link aggregates over `orders` (their WHERE drawn from the orders table, text and typed forms
    included) with predicates on the customers table."""

    def __init__(self, customers, orders, rng):
        self.rng = rng
        self.outer = Gen(customers, rng, text_forms=True, typed_forms=True)
        self.inner = Gen(orders, rng, text_forms=True, typed_forms=True)

    def link_predicate(self):
        rng = self.rng
        where = " WHERE " + self.inner.rule(rng.choice([0, 0, 1, 2])) if rng.random() < 0.7 else ""
        neg = "NOT " if rng.random() < 0.25 else ""
        op = rng.choice(["=", "!=", "<", "<=", ">", ">="])
        f = rng.choice(["COUNT", "COUNT", "EXISTS", "EXISTS", "SUM", "MIN", "MAX"])
        if f == "EXISTS":
            return f"{neg}EXISTS(orders{where})"
        # Thresholds around what the ~14 orders of an address add up to, so that they split the customers.
        if f == "COUNT":
            return f"{neg}COUNT(orders{where}) {op} {rng.choice(['0', '1', '2', '5', '10', '13', '15', '20'])}"
        column = rng.choice(['"Total"', "Quantity"] + (['"Created at"'] if f != "SUM" else []))
        if column == '"Created at"':
            value = self.inner.literal("Created at", "date")
        elif f == "SUM":
            value = rng.choice(["0", "250.5", "1000", "2500", "2750.25", "3000", "4000", "-1"] if column == '"Total"'
                               else ["0", "10", "30", "40", "45", "60"])
        else:
            value = rng.choice(["0", "1", "3", "5", "20.5", "350", "380", "395", "400", "-1"])
        return f"{neg}{f}(orders.{column}{where}) {op} {value}"

    def leaf(self):
        if self.rng.random() < 0.6:
            return self.link_predicate()
        return self.outer.text_predicate() if self.rng.random() < 0.5 else self.outer.predicate()

    def rule(self, depth):
        return boolean_rule(self.rng, depth, self.leaf)


def link_rules(customers, orders):
    """N_LINK_RULES distinct rules that each use a link, each with the key normalization it is linked with."""
    gen = LinkGen(customers, orders, random.Random(LINK_SEED + 1))
    rows, seen = [], set()
    while len(rows) < N_LINK_RULES:
        r = gen.rule(gen.rng.choice([0, 1, 1, 2]))
        if "(orders" in r and r not in seen:
            seen.add(r)
            rows.append({"rule": r, "mode": gen.rng.choice(["email", "text", "none"])})
    return rows


def unique_rules(gen, n, seen):
    rules = []
    while len(rules) < n:
        r = gen.rule(3)
        if r not in seen:
            seen.add(r)
            rules.append(r)
    return rules


def main():
    table = pa.ipc.open_file(os.path.join(DIR, "customers.arrow")).read_all()
    seen = set()
    rules = unique_rules(Gen(table, random.Random(SEED)), N_RULES, seen)
    rules += unique_rules(Gen(table, random.Random(TEXT_SEED), text_forms=True), N_TEXT_RULES, seen)
    count_set({"customers": table}, rules, RULES, SQL)
    tags = tag_table()
    with pa.OSFile(TAGS, "wb") as sink:
        with pa.ipc.new_file(sink, tags.schema) as writer:
            writer.write_table(tags)
    count_set({"tags": tags}, tag_rules(), TAG_RULES, TAG_SQL)
    orders = orders_table(table)
    with pa.OSFile(LINK_ORDERS, "wb") as sink:
        with pa.ipc.new_file(sink, orders.schema) as writer:
            writer.write_table(orders, max_chunksize=150)
    count_set({"customers": table, "orders": orders}, link_rules(table, orders), LINK_RULES, LINK_SQL)


if __name__ == "__main__":
    main()
