#!/usr/bin/env python3
"""Writes the seed corpora of the csv and parquet fuzz targets (fuzz/corpus/{csv,parquet}/), deterministic.

Parquet seeds are small slices of tests/fixtures/segments/customers.arrow written with every codec the reader
supports and with/without dictionary encoding; CSV seeds are hand-written edge cases (the first byte is the
target's option flags). Runs in the virtualenv of scripts/gen_random_rule_fixtures.py (.venv/fuzz):

    .venv/fuzz/bin/python fuzz/seed_formats.py
"""
import os

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "fuzz", "corpus")

table = pa.ipc.open_file(os.path.join(ROOT, "tests", "fixtures", "segments", "customers.arrow")).read_all()
small = table.slice(0, 20)
os.makedirs(os.path.join(OUT, "parquet"), exist_ok=True)
for codec in ["none", "snappy", "gzip", "brotli", "lz4", "zstd"]:
    for dictionary in [True, False]:
        name = f"customers-{codec}-{'dict' if dictionary else 'plain'}.parquet"
        pq.write_table(small, os.path.join(OUT, "parquet", name), compression=codec, use_dictionary=dictionary,
                       row_group_size=8, data_page_size=256)
pq.write_table(table.slice(0, 3).select(["customer_id", "country", "signup_date"]),
               os.path.join(OUT, "parquet", "three-columns.parquet"), compression="none")
pq.write_table(pa.table({"xs": pa.array([[1, 2], None, [3]], pa.list_(pa.int32())), "n": [1, 2, 3]}),
               os.path.join(OUT, "parquet", "list-column.parquet"))

CSV = {
    "basic": b"\x00customer_id,country,orders_count,signup\n1,FI,3,2026-08-03\n2,SE,,2025-01-31\n3,,7,\n",
    "semicolon": b"\x02id;name;amount\n1;\"O'Neil\";1,5\n2;\"a;b\";2,25\n",
    "tab-noheader": b"\x07a\tb\n1\t2\n3\t4\n",
    "quotes": b"\x00name,note\n\"x \"\"y\"\"\",\"multi\nline\"\nplain,\xc3\xa4\n",
    "na-nulls": b"\x10id,score,flag\n1,NA,true\n2,1.5,false\n3,,NA\n",
    "ragged": b"\x00a,b,c\n1,2\n3,4,5,6\n",
    "bom-crlf": b"\x00\xef\xbb\xbfid,ts\r\n1,2026-08-03T12:00:00Z\r\n2,2026-08-03 12:00:00\r\n",
    "small-batches": b"\x08x,y\n1,a\n2,b\n3,c\n4,d\n5,e\n6,f\n7,g\n",
    "dup-headers": b"\x00a,a,,b\n1,2,3,4\n",
    "numbers": b"\x00i,f,big\n-9223372036854775808,1e308,18446744073709551616\n9223372036854775807,-0.0,1\n",
}
os.makedirs(os.path.join(OUT, "csv"), exist_ok=True)
for name, data in CSV.items():
    with open(os.path.join(OUT, "csv", name), "wb") as f:
        f.write(data)
print("seeds written")
