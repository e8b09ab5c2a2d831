#!/usr/bin/env python3
"""A benchmark workload's three CSV files as Parquet, written by pyarrow
with its defaults (snappy, dictionary, data page v1), and its gate.yaml
pointing at them.

    python3 Benchmarks/to_parquet.py bench-data/strings-1000000 bench-data/strings-1000000-parquet

Needs: pyarrow.
"""
import os
import sys

import pyarrow.csv as pc
import pyarrow.parquet as pq

from shapes import SHAPES, shape_of


def main():
    data, folder = sys.argv[1], sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    text = SHAPES[shape_of(data)]["text"]
    for name in ("golden", "candidate", "champion"):
        # The slice columns stay text, as the CSV baselines read them.
        options = pc.ConvertOptions(column_types={c: "string" for c in text}) if name == "golden" else None
        table = pc.read_csv(os.path.join(data, f"{name}.csv"), convert_options=options)
        pq.write_table(table, os.path.join(folder, f"{name}.parquet"))
    with open(os.path.join(data, "gate.yaml")) as f:
        source = f.read()
    with open(os.path.join(folder, "gate.yaml"), "w") as f:
        f.write(source.replace(".csv", ".parquet"))
    print(f"wrote {folder}: the workload as Parquet (pyarrow defaults)")


if __name__ == "__main__":
    main()
