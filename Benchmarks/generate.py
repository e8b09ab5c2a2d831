#!/usr/bin/env python3
"""Deterministic benchmark workloads for a binary-task gate, in two shapes:

- `numeric` (the default): a golden set of N rows with ids `t0..tN-1` in
  order, two prediction files in other row orders, ~118 slices and checks on
  16 binary metrics.
- `strings`: 8-character string ids (`u0782744`) shuffled differently in every
  file, a weight column, two-decimal amounts, an integer column, four text
  columns of 4 to 50 values, 8 slice definitions (two `where`, four `by` incl.
  one crossed, two `bins`) giving ~108 slices with min_slice_size 1000, and
  checks on 5 metrics (accuracy, precision, recall, f1, auc).
- `realistic`: the strings shape's rows and slices with numbers as real
  tools write them: scores, amounts and weights as pandas `to_csv` and
  Python's repr print a float64 (shortest round trip, 16 to 17 significant
  digits, nearly all distinct), and checks on 9 metrics (accuracy,
  precision, recall, f1, auc, pr_auc, log_loss, brier, ece), each a floor
  or ceiling and a max_drop on every slice, so many slices fail.
  `--exponent` writes the scores as `%.18e` instead.

    python3 Benchmarks/generate.py [--shape numeric|strings] [--rows 1000000] [--out DIR]

The default folder is bench-data/N (numeric) or bench-data/strings-N.
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


STRINGS_GATE = """version: 1
name: benchmark-strings
revision: bench-strings-{rows}
task: binary
dataset: {{path: golden.csv, id: user_id, label: churned, weight: weight}}
models:
  candidate: {{path: candidate.csv, score: p_churn}}
  champion: {{path: champion.csv, score: p_churn}}
decision_threshold: 0.5
min_slice_size: 1000
slices:
  - {{name: high_value, where: 'amount >= 1000 and channel != "atm"'}}
  - {{name: new_or_trial, where: 'tenure_months < 6 or plan in ["trial", "free"]'}}
  - {{name: region, by: region}}
  - {{name: plan, by: plan}}
  - {{name: merchant, by: merchant}}
  - {{name: region_channel, by: [region, channel]}}
  - {{name: amount_band, by: amount, bins: [10, 50, 100, 500, 1000, 5000, 10000]}}
  - {{name: tenure_band, by: tenure_months, bins: [3, 6, 12, 24, 48, 96]}}
checks:
  - {{metric: auc, min: 0.5, max_drop: 0.02}}
  - {{metric: accuracy, max_drop: 0.02}}
  - {{metric: precision, max_drop_pct: 10}}
  - {{metric: recall, max_drop_pct: 10}}
  - {{metric: f1, max_drop: 0.05}}
"""

REALISTIC_GATE = STRINGS_GATE.replace("name: benchmark-strings", "name: benchmark-realistic").replace(
    "revision: bench-strings-", "revision: bench-realistic-").split("checks:")[0] + """checks:
  - {{metric: accuracy, min: 0.75, max_drop: 0.005}}
  - {{metric: precision, min: 0.6, max_drop: 0.01}}
  - {{metric: recall, min: 0.6, max_drop: 0.01}}
  - {{metric: f1, min: 0.6, max_drop: 0.01}}
  - {{metric: auc, min: 0.85, max_drop: 0.005}}
  - {{metric: pr_auc, min: 0.7, max_drop: 0.005}}
  - {{metric: log_loss, max: 0.45, max_drop: 0.005}}
  - {{metric: brier, max: 0.15, max_drop: 0.002}}
  - {{metric: ece, max: 0.03, max_drop: 0.005}}
"""

REGIONS = ["emea", "amer", "apac", "latam"]
CHANNELS = ["web", "ios", "android", "atm", "pos", "phone"]
PLANS = ["free", "trial", "basic", "plus", "pro", "team", "business", "enterprise", "student", "family", "legacy", "partner"]
MERCHANTS = [f"m{i:02d}-{w}" for i, w in enumerate(
    "grocery fuel travel hotel airline dining cafe pharmacy books music games cinema taxi rail parking toll "
    "utilities telecom insurance charity school tuition clinic dental vet pets garden hardware furniture "
    "appliances electronics computers phones fashion shoes jewelry watches sports outdoor toys baby beauty "
    "spa gym florist gifts crafts art antiques vintage".split())]


def write_csv(path, header, columns):
    """One text column per value array, joined with commas, one line per row."""
    lines = columns[0]
    for col in columns[1:]:
        lines = np.char.add(np.char.add(lines, ","), col)
    with open(path, "w") as f:
        f.write(header + "\n")
        f.write("\n".join(lines.tolist()) + "\n")


def customers(rng, n, rounded):
    """The strings and realistic shapes' golden columns, drawn in one order
    (so the strings workload stays what it was); `rounded` keeps two
    decimals on amounts and weights, as the strings shape writes them."""
    ids = np.char.add("u", np.char.zfill(rng.choice(10_000_000, n, replace=False).astype(str), 7))
    region = np.array(REGIONS)[rng.choice(4, n, p=[0.4, 0.3, 0.2, 0.1])]
    channel = np.array(CHANNELS)[rng.integers(0, 6, n)]
    plan = np.array(PLANS)[rng.integers(0, 12, n)]
    zipf = 1 / np.arange(1, 51) ** 0.6
    merchant = np.array(MERCHANTS)[rng.choice(50, n, p=zipf / zipf.sum())]
    amount = np.exp(rng.normal(5, 1.6, n))
    amount = np.round(amount, 2) if rounded else amount
    tenure = rng.integers(0, 160, n)
    risk = -1.2 + 0.3 * np.log10(amount + 1) - 0.01 * tenure + (plan == "trial") * 0.6 + rng.normal(0, 1, n)
    label = (rng.random(n) < 1 / (1 + np.exp(-risk))).astype(int)
    weight = rng.uniform(0.5, 2.0, n)
    weight = np.round(weight, 2) if rounded else weight
    return ids, region, channel, plan, merchant, amount, tenure, risk, label, weight


def realistic_shape(n, out, exponent=False):
    """The strings shape's columns with every float as pandas writes a float64."""
    import pandas as pd

    rng = np.random.default_rng(2025)
    ids, region, channel, plan, merchant, amount, tenure, risk, label, weight = customers(rng, n, rounded=False)
    pd.DataFrame({"user_id": ids, "churned": label, "weight": weight, "amount": amount, "tenure_months": tenure,
                  "region": region, "channel": channel, "plan": plan, "merchant": merchant}).to_csv(
        os.path.join(out, "golden.csv"), index=False)
    for name, noise in [("candidate", 1.0), ("champion", 1.05)]:
        logit = risk + 2.0 * label + rng.normal(0, noise, n) - 1.0
        score = 1 / (1 + np.exp(-logit))
        order = rng.permutation(n)
        frame = pd.DataFrame({"user_id": ids[order], "p_churn": score[order]})
        frame.to_csv(os.path.join(out, f"{name}.csv"), index=False, float_format="%.18e" if exponent else None)
    with open(os.path.join(out, "gate.yaml"), "w") as f:
        f.write(REALISTIC_GATE.format(rows=n))


def strings_shape(n, out):
    rng = np.random.default_rng(4242)
    ids, region, channel, plan, merchant, amount, tenure, risk, label, weight = customers(rng, n, rounded=True)
    write_csv(os.path.join(out, "golden.csv"), "user_id,churned,weight,amount,tenure_months,region,channel,plan,merchant",
              [ids, label.astype(str), weight.astype(str), np.char.mod("%.2f", amount), tenure.astype(str), region, channel, plan, merchant])
    for name, noise in [("candidate", 1.0), ("champion", 1.2)]:
        logit = risk + 2.0 * label + rng.normal(0, noise, n) - 1.0
        score = np.round(1 / (1 + np.exp(-logit)), 6)
        order = rng.permutation(n)
        write_csv(os.path.join(out, f"{name}.csv"), "user_id,p_churn", [ids[order], score[order].astype(str)])
    with open(os.path.join(out, "gate.yaml"), "w") as f:
        f.write(STRINGS_GATE.format(rows=n))


def letters(n):
    return np.array([chr(ord("a") + i) if i < 26 else f"k{i:02d}" for i in range(n)])


def default_folder(shape, rows):
    return os.path.join("bench-data", f"{rows}" if shape == "numeric" else f"{shape}-{rows}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shape", choices=["numeric", "strings", "realistic"], default="numeric")
    parser.add_argument("--exponent", action="store_true", help="realistic: scores as %%.18e")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    n = args.rows
    out = args.out or default_folder(args.shape, n)
    os.makedirs(out, exist_ok=True)
    if args.shape == "strings":
        strings_shape(n, out)
        print(f"wrote {out}: {n} rows, shape strings")
        return
    if args.shape == "realistic":
        realistic_shape(n, out, exponent=args.exponent)
        print(f"wrote {out}: {n} rows, shape realistic{' (scores as %.18e)' if args.exponent else ''}")
        return
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
