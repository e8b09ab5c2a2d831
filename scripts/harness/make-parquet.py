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
import shutil
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
PARTITIONED = {"pyarrow-partitioned": "pyarrow", "polars-partitioned": "polars", "duckdb-partitioned": "duckdb"}

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
    shutil.rmtree(folder, ignore_errors=True)
    if writer == "pyarrow":
        pq.write_to_dataset(table, folder, partition_cols=[column])
    elif writer == "polars":
        pl.from_arrow(table).write_parquet(folder, partition_by=column)
    else:
        con = duckdb.connect()
        con.register("t", table)
        con.sql(f"COPY t TO '{folder}' (FORMAT parquet, PARTITION_BY ({column}))")
        con.close()


def types(out):
    """Every logical type a gate may read, with nulls (types/types.parquet;
    the expected texts are literals in ParquetTypesTests), the same rows
    with INT96 timestamps (types/int96.parquet), and a Hive-partitioned
    folder whose values need URL-decoding (types/hive)."""
    import datetime as dt
    import decimal

    folder = os.path.join(out, "types")
    os.makedirs(folder, exist_ok=True)
    ts = [dt.datetime(2024, 3, 1, 12, 34, 56, 789000), None, dt.datetime(1969, 12, 31, 23, 59, 59, 999999)]
    columns = {
        "id": pa.array(["a", "b", "c"]),
        "label": pa.array([True, False, True]),
        "u8": pa.array([255, 0, None], pa.uint8()),
        "u16": pa.array([65535, 1, None], pa.uint16()),
        "u32": pa.array([4294967295, 2, None], pa.uint32()),
        "u64": pa.array([18446744073709551615, 3, None], pa.uint64()),
        "i8": pa.array([-128, 127, None], pa.int8()),
        "i16": pa.array([-32768, 32767, None], pa.int16()),
        "day": pa.array([dt.date(2024, 3, 1), dt.date(1970, 1, 1), None], pa.date32()),
        "t_ms": pa.array([dt.time(13, 45, 7, 250000), dt.time(0, 0), None], pa.time32("ms")),
        "t_us": pa.array([dt.time(13, 45, 7, 123456), dt.time(23, 59, 59), None], pa.time64("us")),
        "ts_ms": pa.array(ts, pa.timestamp("ms")),
        "ts_us": pa.array(ts, pa.timestamp("us")),
        "ts_ns": pa.array(ts, pa.timestamp("ns")),
        "ts_utc": pa.array(ts, pa.timestamp("us", tz="UTC")),
        "price": pa.array([decimal.Decimal("12.34"), decimal.Decimal("-0.05"), None], pa.decimal128(10, 2)),
        "f32": pa.array([0.1, -2.5, None], pa.float32()),
        "color": pa.array(["red", None, "blue"]).dictionary_encode(),
        "big": pa.array(["x", "y", None], pa.large_string()),
        "score": pa.array([0.9, 0.2, 0.7]),
    }
    table = pa.table(columns)
    pq.write_table(table, os.path.join(folder, "types.parquet"))
    pq.write_table(
        table.select(["id", "ts_ns"]), os.path.join(folder, "int96.parquet"), use_deprecated_int96_timestamps=True)
    # Hive partition values that need URL-encoding, and a null one.
    hive = pa.table({"id": ["a", "b", "c", "d"], "v": [1.5, 2.5, 3.5, 4.5], "part": ["x y", "a/b", None, "é=1"]})
    shutil.rmtree(os.path.join(folder, "hive"), ignore_errors=True)
    pq.write_to_dataset(hive, os.path.join(folder, "hive"), partition_cols=["part"])


def refusals(out):
    """Files evalgate must refuse (or read only in part), each beside a
    plain one: id, label, score and one odd column `extra`."""
    folder = os.path.join(out, "refusals")
    os.makedirs(folder, exist_ok=True)
    base = {"id": ["a", "b", "c", "d"], "label": [1, 0, 1, 0], "score": [0.9, 0.2, 0.6, 0.4]}

    def table(extra):
        return pa.table(dict(base, extra=extra))

    pq.write_table(table(pa.array([{"x": 1}, {"x": 2}, {"x": 3}, {"x": 4}])), os.path.join(folder, "struct.parquet"))
    pq.write_table(table(pa.array([[1], [2, 3], [], [4]])), os.path.join(folder, "list.parquet"))
    pq.write_table(
        table(pa.array(["p", "q", "p", "q"])), os.path.join(folder, "brotli.parquet"),
        compression={"id": "snappy", "label": "snappy", "score": "snappy", "extra": "brotli"})
    # Latin-1 bytes in a byte-array column (a writer handed text in another encoding).
    pq.write_table(table(pa.array([b"caf\xe9", b"q", b"p", b"q"], pa.binary())), os.path.join(folder, "latin1.parquet"))
    plain = os.path.join(folder, "plain.parquet")
    pq.write_table(
        table(pa.array(["zzzzzzzz-marker", "q", "p", "q"])), plain, compression="none", use_dictionary=False,
        write_page_checksum=True)
    data = open(plain, "rb").read()
    with open(os.path.join(folder, "crc.parquet"), "wb") as f:
        f.write(data.replace(b"zzzzzzzz-marker", b"zzzzzzzz-market"))
    with open(os.path.join(folder, "encrypted.parquet"), "wb") as f:
        f.write(data[:-4] + b"PARE")
    with open(os.path.join(folder, "cut.parquet"), "wb") as f:
        f.write(data[: len(data) // 2])
    with open(os.path.join(folder, "magic.parquet"), "wb") as f:
        f.write(b"PAR0" + data[4:])
    with open(os.path.join(folder, "footer.parquet"), "wb") as f:
        f.write(data[:-8] + (len(data) * 2).to_bytes(4, "little") + b"PAR1")


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
    types(out)
    refusals(out)
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
