#!/usr/bin/env python3
"""Writes the bundled examples as Parquet, the way common writers do, for
the Parquet tests (`.ci/run` runs it; nothing binary is committed).

    python3 scripts/harness/make-parquet.py OUT_DIR

For each example gate (fraud, breast cancer, wine, diabetes) and each
writer variant it writes OUT_DIR/VARIANT/<the example's files>.parquet and
OUT_DIR/VARIANT/GATE (the gate with its paths pointing there), plus
OUT_DIR/variants.txt listing the variants. Variants: pyarrow defaults
(snappy, dictionary, data page v1), data_page_version="2.0",
compression="gzip", compression="none", use_dictionary=False,
version="1.0", compression="zstd", compression="lz4" (LZ4_RAW), the delta
encodings and BYTE_STREAM_SPLIT, pandas to_parquet, a file whose
dictionary falls back to PLAIN part-way (a tiny dictionary_pagesize_limit),
Polars write_parquet (its default zstd), DuckDB COPY ... TO (default, and
PARQUET_VERSION V2 with its delta encodings). The fraud gate's golden set is
also written as a Hive-partitioned folder by pyarrow's write_to_dataset,
Polars and DuckDB (PARTITION_BY). Each variant folder holds only the gates
it could write.
"""
import os
import re
import sys

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.csv as pc
import pyarrow.parquet as pq

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

VARIANTS = {
    "pyarrow-default": {},
    "page-v2": {"data_page_version": "2.0"},
    "gzip": {"compression": "gzip"},
    "uncompressed": {"compression": "none"},
    "no-dictionary": {"use_dictionary": False},
    "format-1.0": {"version": "1.0"},
    "zstd": {"compression": "zstd"},
    "lz4": {"compression": "lz4"},
    "delta-encodings": "delta",
    "dictionary-fallback": {"dictionary_pagesize_limit": 256, "data_page_size": 512},
    "pandas": None,
    "polars": "polars",
    "duckdb": "duckdb",
    "duckdb-v2": "duckdb-v2",
}

# Folder datasets: the fraud gate's golden set partitioned by region.
PARTITIONED = {"pyarrow-dataset": "pyarrow", "polars-partitioned": "polars", "duckdb-partitioned": "duckdb"}

GATES = ["gates/fraud.yaml", "gates/breast-cancer.yaml", "gates/wine.json", "gates/diabetes.yaml"]


def delta(table):
    """DuckDB's PARQUET_VERSION V2 choices: delta strings and integers, split floats."""
    encodings = {}
    for i, field in enumerate(table.schema):
        if pa.types.is_string(field.type):
            encodings[field.name] = "DELTA_BYTE_ARRAY" if i % 2 else "DELTA_LENGTH_BYTE_ARRAY"
        elif pa.types.is_integer(field.type):
            encodings[field.name] = "DELTA_BINARY_PACKED"
        elif pa.types.is_floating(field.type):
            encodings[field.name] = "BYTE_STREAM_SPLIT"
    return encodings


def write(table, target, options):
    """One file the way the variant's writer makes it."""
    if options is None:
        table.to_pandas().to_parquet(target, index=False)
    elif options == "delta":
        pq.write_table(table, target, use_dictionary=False, data_page_version="2.0", column_encoding=delta(table))
    elif options == "polars":
        pl.from_arrow(table).write_parquet(target)
    elif options in ("duckdb", "duckdb-v2"):
        con = duckdb.connect()
        con.register("t", table)
        version = ", PARQUET_VERSION V2" if options == "duckdb-v2" else ""
        con.sql(f"COPY t TO '{target}' (FORMAT parquet{version})")
        con.close()
    else:
        pq.write_table(table, target, **options)


def partitioned(table, folder, writer, column):
    """A Hive-partitioned folder (column=value/part files) as each writer makes it."""
    if writer == "pyarrow":
        pq.write_to_dataset(table, folder, partition_cols=[column])
    elif writer == "polars":
        pl.from_arrow(table).write_parquet(folder, partition_by=column)
    else:
        con = duckdb.connect()
        con.register("t", table)
        con.sql(f"COPY t TO '{folder}' (FORMAT parquet, PARTITION_BY ({column}))")
        con.close()


def read(source):
    return pc.read_csv(source, convert_options=pc.ConvertOptions(strings_can_be_null=True))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for variant, options in VARIANTS.items():
        folder = os.path.join(out, variant)
        os.makedirs(folder, exist_ok=True)
        for gate in GATES:
            text = open(os.path.join(ROOT, gate)).read()
            for csv in sorted(set(re.findall(r"\.\./fixtures/[\w/.-]+\.csv", text))):
                source = os.path.normpath(os.path.join(ROOT, "gates", csv))
                target = os.path.join(folder, os.path.basename(csv)[:-4] + ".parquet")
                write(read(source), target, options)
                text = text.replace(csv, os.path.basename(target))
            with open(os.path.join(folder, os.path.basename(gate)), "w") as f:
                f.write(text)
    for variant, writer in PARTITIONED.items():
        folder = os.path.join(out, variant)
        os.makedirs(folder, exist_ok=True)
        text = open(os.path.join(ROOT, "gates/fraud.yaml")).read()
        for csv in sorted(set(re.findall(r"\.\./fixtures/[\w/.-]+\.csv", text))):
            source = os.path.normpath(os.path.join(ROOT, "gates", csv))
            name = os.path.basename(csv)[:-4]
            if name == "golden":
                partitioned(read(source), os.path.join(folder, name), writer, "region")
                text = text.replace(csv, name)
            else:
                write(read(source), os.path.join(folder, name + ".parquet"), {})
                text = text.replace(csv, name + ".parquet")
        with open(os.path.join(folder, "fraud.yaml"), "w") as f:
            f.write(text)
    # Small files of every variant, to seed the Parquet fuzz target.
    seeds = os.path.join(out, "fuzz-seeds")
    os.makedirs(seeds, exist_ok=True)
    small = pc.read_csv(os.path.join(ROOT, "fixtures/fraud/golden.csv")).slice(0, 12)
    for variant, options in VARIANTS.items():
        write(small, os.path.join(seeds, f"{variant}.parquet"), options)
    names = list(VARIANTS) + list(PARTITIONED)
    with open(os.path.join(out, "variants.txt"), "w") as f:
        f.write("\n".join(names) + "\n")
    print(f"wrote {len(names)} Parquet variants of {len(GATES)} example gates to {out}")


if __name__ == "__main__":
    main()
