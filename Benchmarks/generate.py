#!/usr/bin/env python3
"""Deterministic benchmark workload: a binary-task golden set of N rows and
two prediction files in other row orders, plus a gate with ~118 slices and
checks on 16 binary metrics.

    python3 Benchmarks/generate.py [--rows 1000000] [--out bench-data/1m]
"""
import argparse
import os

import numpy as np

GATE = """version: 1
name: benchmark
revision: bench-{rows}
task: binary
dataset: {{path: golden.csv, id: id, label: label, weight: weight}}
models:
  candidate: {{path: candidate.csv, score: score}}
  champion: {{path: champion.csv, score: score}}
decision_threshold: 0.5
min_slice_size: 50
slices:
  - {{name: big_spend, where: 'amount >= 1000 and c3 != "a"'}}
  - {{name: odd_segment, where: 'c8 in ["b", "e", "h"] or score_band < 10'}}
  - {{name: c3, by: c3}}
  - {{name: c8, by: c8}}
  - {{name: c20, by: c20}}
  - {{name: c50, by: c50}}
  - {{name: c3_c8, by: [c3, c8]}}
  - {{name: amount_band, by: amount, bins: [10, 100, 1000, 10000]}}
  - {{name: score_band_bins, by: score_band, bins: [20, 40, 60, 80]}}
checks:
  - {{metric: auc, min: 0.5, max_drop: 0.02}}
  - {{metric: pr_auc, max_drop: 0.03}}
  - {{metric: log_loss, max_drop: 0.02}}
  - {{metric: ece, max: 0.2}}
  - {{metric: brier, max_drop: 0.01}}
  - {{metric: accuracy, max_drop: 0.02}}
  - {{metric: balanced_accuracy, max_drop: 0.03}}
  - {{metric: precision, max_drop_pct: 10}}
  - {{metric: recall, max_drop_pct: 10}}
  - {{metric: specificity, max_drop: 0.02}}
  - {{metric: fpr, max_drop: 0.02}}
  - {{metric: fnr, max_drop: 0.05}}
  - {{metric: f1, max_drop: 0.05}}
  - {{metric: mcc, max_drop: 0.05}}
  - {{metric: positive_rate, min: 0}}
  - {{metric: count, min: 50}}
"""


def letters(n):
    return np.array([chr(ord("a") + i) if i < 26 else f"k{i:02d}" for i in range(n)])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    n = args.rows
    out = args.out or os.path.join("bench-data", f"{n}")
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(42)
    ids = np.char.add("t", np.arange(n).astype(str))
    c3 = letters(3)[rng.integers(0, 3, n)]
    c8 = letters(8)[rng.integers(0, 8, n)]
    c20 = letters(20)[rng.integers(0, 20, n)]
    c50 = letters(50)[rng.integers(0, 50, n)]
    amount = np.round(np.exp(rng.normal(5, 1.5, n)), 2)
    band = np.round(rng.uniform(0, 100, n), 1)
    risk = -2.5 + 0.4 * np.log10(amount + 1) + (c3 == "b") * 0.5 + rng.normal(0, 1, n)
    label = (rng.random(n) < 1 / (1 + np.exp(-risk))).astype(int)
    weight = np.round(rng.uniform(0.5, 2.0, n), 2)
    def scores(noise):
        logit = risk + 2.0 * label + rng.normal(0, noise, n) - 1.0
        return np.round(1 / (1 + np.exp(-logit)), 4)
    cand, champ = scores(1.0), scores(1.2)
    with open(os.path.join(out, "golden.csv"), "w") as f:
        f.write("id,label,weight,c3,c8,c20,c50,amount,score_band\n")
        lines = np.char.add(ids, ",")
        for col in [label.astype(str), weight.astype(str), c3, c8, c20, c50, amount.astype(str), band.astype(str)]:
            lines = np.char.add(np.char.add(lines, col), ",")
        f.write("\n".join(s[:-1] for s in lines.tolist()) + "\n")
    for name, s in [("candidate", cand), ("champion", champ)]:
        order = rng.permutation(n)
        with open(os.path.join(out, f"{name}.csv"), "w") as f:
            f.write("id,score\n")
            f.write("\n".join(np.char.add(np.char.add(ids[order], ","), s[order].astype(str)).tolist()) + "\n")
    with open(os.path.join(out, "gate.yaml"), "w") as f:
        f.write(GATE.format(rows=n))
    print(f"wrote {out}: {n} rows")


if __name__ == "__main__":
    main()
