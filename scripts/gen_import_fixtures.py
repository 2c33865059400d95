#!/usr/bin/env python3
"""Expected values for the typed CSV import (issue 11 §1), computed with Python's decimal, datetime and zoneinfo
— code independent of the Rust parsers they check (formats/tests/import.rs, tests/js/formats.test.mjs).

    python3 scripts/gen_import_fixtures.py     # stdlib only (Python ≥ 3.9 with the system tz database)

Writes tests/fixtures/formats/import_cases.json: a list of cases, each
  {name, csv, options: {locale?, timeZone?, types?}, columns: {name: {type, values}}, warnings: [[code, column]]}
Values: numbers as JSON numbers, dates as days since 1970-01-01, timestamps as integers in the column's unit,
decimals as the unscaled integer (as a string), text as strings, null as null.
Deterministic (no clock, no randomness).
"""

import json
import os
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "formats")
EPOCH = date(1970, 1, 1)


def days(d: date) -> int:
    return (d - EPOCH).days


def dec(s: str, decimal_sep: str, thousands: str) -> Decimal:
    """A number as a person reads it: drop currency and thousands separators, then the decimal separator."""
    for token in ["EUR", "€", "$", "kr"]:
        s = s.replace(token, "")
    s = s.strip().replace("\u00a0", "").replace(thousands, "")
    return Decimal(s.replace(decimal_sep, "."))


def wall_epoch(text: str, fmt: str, zone: str) -> int:
    """Seconds since the epoch of a wall-clock time in `zone` (fold=0, zoneinfo's reading)."""
    naive = datetime.strptime(text, fmt)
    return int(naive.replace(tzinfo=ZoneInfo(zone)).timestamp())


def col(type_, values):
    return {"type": type_, "values": values}


def csv_of(columns: dict) -> str:
    names = list(columns)
    n = len(next(iter(columns.values())))
    lines = [",".join(f'"{c}"' for c in names)]
    for i in range(n):
        lines.append(",".join('"' + columns[c][i].replace('"', '""') + '"' for c in names))
    return "\n".join(lines) + "\n"


def cases():
    out = []

    def case(name, raw: dict, expect: dict, warnings=(), **options):
        out.append({"name": name, "csv": csv_of(raw), "options": options, "columns": expect,
                    "warnings": [list(w) for w in warnings]})

    fi_money = ["12,50 €", "1 020,00 €", "-3,10 €", "", "0,99 €"]
    case("Finnish money", {"Total": fi_money},
         {"Total": col("float64", [None if v == "" else float(dec(v, ",", " ")) for v in fi_money])},
         [("CURRENCY_REMOVED", "Total")], locale="fi")
    en_money = ["EUR 12.50", "EUR 1,020.00", "EUR -3.10", "EUR 7"]
    case("Euro codes with decimal points", {"Amount": en_money},
         {"Amount": col("float64", [float(dec(v, ".", ",")) for v in en_money])}, [("CURRENCY_REMOVED", "Amount")])
    commas = ["1,5", "2,75", "-0,125", "1 000,5"]
    case("decimal commas (auto)", {"x": commas}, {"x": col("float64", [float(dec(v, ",", " ")) for v in commas])})
    thousands = ["1,020", "2,500", "13,000"]
    case("1,020 is ambiguous under auto", {"x": thousands}, {"x": col("utf8", thousands)},
         [("AMBIGUOUS_NUMBER", "x")])
    case("1,020 under en", {"x": thousands}, {"x": col("float64", [float(dec(v, ".", ",")) for v in thousands])},
         locale="en")
    case("1,020 under fi", {"x": thousands}, {"x": col("float64", [float(dec(v, ",", " ")) for v in thousands])},
         locale="fi")
    de = ["1.020,50", "3,25", "12.345.678,9"]
    case("German numbers", {"x": de}, {"x": col("float64", [float(dec(v, ",", ".")) for v in de])}, locale="de")

    zips = ["00100", "33100", "90100", "02600"]
    phones = ["+358401234567", "+46701234567", "+358501112223", "+4915112345678"]
    ids = ["1234567890123456", "6802445003493123", "1", "2"]
    case("values that only look numeric stay text", {"Zip": zips, "Phone": phones, "Id": ids},
         {"Zip": col("utf8", zips), "Phone": col("utf8", phones), "Id": col("utf8", ids)},
         [("LEADING_ZERO", "Zip"), ("LEADING_PLUS", "Phone"), ("TOO_MANY_DIGITS", "Id")])
    protected = ["'00100", "'6802445003493", "'+358401234567", ""]
    case("protective apostrophes are removed", {"Code": protected},
         {"Code": col("utf8", [v[1:] if v else None for v in protected])}, [("APOSTROPHE_REMOVED", "Code")])
    forced_zip = ["00100", "33100"]
    case("a forced type reads leading zeros as numbers", {"Zip": forced_zip},
         {"Zip": col("int64", [int(v) for v in forced_zip])}, types={"Zip": "int64"})

    pairs = {
        "a": ["true", "FALSE", " True ", ""],
        "b": ["yes", "No", "YES", "no"],
        "c": ["y", "N", "n", "Y"],
        "d": ["Kyllä", "ei", "EI", "kyllä"],
        "e": ["ja", "nej", "Ja", "NEJ"],
        "f": ["ja", "nein", "Nein", "JA"],
        "g": ["1", "0", "0", "1"],
        "h": ["1", "1", "1", "1"],
        "i": ["yes", "false", "yes", "no"],
    }
    truthy = {"true", "yes", "y", "kyllä", "ja", "1"}
    expect = {k: col("bool", [None if v.strip() == "" else v.strip().lower() in truthy for v in vs])
              for k, vs in pairs.items() if k not in "hi"}
    expect["h"] = col("int64", [1, 1, 1, 1])
    expect["i"] = col("utf8", pairs["i"])
    case("boolean pairs", pairs, expect)

    fi_dates = ["16.9.2025", "1.1.2024", "29.2.2024", "31.12.1999"]
    case("Finnish dates", {"d": fi_dates},
         {"d": col("date32", [days(datetime.strptime(v, "%d.%m.%Y").date()) for v in fi_dates])})
    slash = ["1/2/2025", "3/4/2025", "12/11/2025"]
    case("slash dates are ambiguous under auto", {"d": slash}, {"d": col("utf8", slash)}, [("AMBIGUOUS_DATE", "d")])
    case("slash dates under fi are day-first", {"d": slash},
         {"d": col("date32", [days(datetime.strptime(v, "%d/%m/%Y").date()) for v in slash])}, locale="fi")
    case("slash dates under en are month-first", {"d": slash},
         {"d": col("date32", [days(datetime.strptime(v, "%m/%d/%Y").date()) for v in slash])}, locale="en")
    us_dates = ["9/16/2025", "1/2/2025"]
    case("a day above 12 decides the order", {"d": us_dates},
         {"d": col("date32", [days(datetime.strptime(v, "%m/%d/%Y").date()) for v in us_dates])})

    hel = ["16.9.2025 7:42", "30.3.2025 3:30", "26.10.2025 3:30", "1.1.2025 0:00", "26.10.2025 4:00"]
    case("Finnish wall-clock timestamps in Europe/Helsinki", {"t": hel},
         {"t": col("timestamp[s, Europe/Helsinki]", [wall_epoch(v, "%d.%m.%Y %H:%M", "Europe/Helsinki") for v in hel])},
         timeZone="Europe/Helsinki")
    shop = ["2025-09-16 07:42:15 +0300", "2025-01-02 23:59:59 +0200", "2024-12-31T22:00:00Z"]
    shop_utc = [int(datetime.strptime(v.replace("Z", "+0000").replace("T", " "), "%Y-%m-%d %H:%M:%S %z").timestamp())
                if "Z" not in v else int(datetime(2024, 12, 31, 22, tzinfo=timezone.utc).timestamp()) for v in shop]
    case("Shopify timestamps with offsets", {"Created at": shop}, {"Created at": col("timestamp[s, UTC]", shop_utc)})
    ms = ["2025-03-09 01:59:59.250", "2025-03-09 03:00:00.5"]
    case("forced timestamp[ms, America/New_York]", {"t": ms},
         {"t": col("timestamp[ms, America/New_York]",
                   [round(datetime.strptime(v, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=ZoneInfo("America/New_York"))
                          .timestamp() * 1000) for v in ms])},
         types={"t": "timestamp[ms, America/New_York]"})

    dec_vals = ["12,50 €", "1 020,5", "-0,01", ""]
    case("forced decimal128(12, 2)", {"p": dec_vals},
         {"p": col("decimal128(12, 2)",
                   [None if v == "" else str(int(dec(v, ",", " ").scaleb(2))) for v in dec_vals])},
         locale="fi", types={"p": "decimal128(12, 2)"})
    case("pandas index dropped", {"__index_level_0__": ["0", "1"], "x": ["a", "b"]}, {"x": col("utf8", ["a", "b"])},
         [("INDEX_COLUMN_DROPPED", "__index_level_0__")])

    # Every half hour from 00:00 to 05:30 of every Sunday in March, October and November (the transitions and
    # their neighbours) in five years, in zones of each rule (zoneinfo, fold=0).
    for zone in ["Europe/Helsinki", "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles"]:
        walls = []
        tz = ZoneInfo(zone)
        for year in (2008, 2015, 2021, 2026, 2030):
            for month in (3, 10, 11):
                for day in range(1, 32):
                    try:
                        d = date(year, month, day)
                    except ValueError:
                        continue
                    if d.weekday() != 6:
                        continue
                    for half in range(0, 12):
                        walls.append(datetime(year, month, day) + timedelta(minutes=30 * half))
        texts = [w.strftime("%Y-%m-%d %H:%M:%S") for w in walls]
        case(f"zone rules of {zone}", {"t": texts},
             {"t": col(f"timestamp[s, {zone}]", [int(w.replace(tzinfo=tz).timestamp()) for w in walls])},
             timeZone=zone)
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "import_cases.json"), "w", encoding="utf-8") as f:
        json.dump(cases(), f, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
