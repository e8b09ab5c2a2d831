#!/usr/bin/env python3
"""Fixtures and reference values for PairedMetricTests (run by hand; needs
numpy, pandas and statsmodels):

- fixtures/paired/binary.csv, multiclass.csv, regression.csv, reference.csv:
  small realistic sets with weights, tied scores and missing values;
- flip_rate: weighted share of rows whose predicted label differs (binary at
  0.5, multiclass by the given predicted class);
- score_psi and drift PSI: 10 bins at numpy.quantile's deciles (its default
  "linear" method), bins [lo, hi) via numpy.searchsorted(side="right"), outer
  bins open, zero shares floored at 1e-4, PSI = sum((a - e) * ln(a / e));
- Holm and Benjamini-Hochberg adjusted p-values by
  statsmodels.stats.multitest.multipletests.

    python3 scripts/expected/expected_paired_and_drift.py
"""
import os

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "fixtures", "paired")
rng = np.random.default_rng(2026)


def psi(actual, expected):
    a = actual / actual.sum()
    e = expected / expected.sum()
    a = np.where(a == 0, 1e-4, a)
    e = np.where(e == 0, 1e-4, e)
    return float(np.sum((a - e) * np.log(a / e)))


def binned(values, weights, edges):
    return np.bincount(np.searchsorted(edges, values, side="right"), weights=weights, minlength=10).astype(float)


def score_psi(candidate, champion, weights):
    edges = np.quantile(champion, np.arange(1, 10) / 10)
    return psi(binned(candidate, weights, edges), binned(champion, weights, edges))


# Binary: 150 rows, scores to 2 decimals (ties), weights, a text segment
# with missing values and an amount with missing values.
n = 150
y = (rng.random(n) < 0.35).astype(int)
champion = np.round(np.clip(0.30 * y + rng.random(n) * 0.70, 0, 1), 2)
candidate = np.round(np.clip(champion + rng.normal(0.03, 0.12, n), 0, 1), 2)
w = np.round(rng.choice([0.5, 1.0, 1.0, 2.0, 3.5], n), 2)
segment = rng.choice(["web", "app", "pos", ""], n, p=[0.45, 0.30, 0.20, 0.05])
amount = np.round(np.exp(rng.normal(4.0, 1.2, n)), 2)
amount_text = np.where(rng.random(n) < 0.06, "", amount.astype(str))
binary = pd.DataFrame({
    "id": [f"b{i:03d}" for i in range(n)], "y": y, "candidate": candidate, "champion": champion, "w": w,
    "segment": segment, "amount": amount_text})
binary.to_csv(os.path.join(OUT, "binary.csv"), index=False)

flipped = (candidate >= 0.5) != (champion >= 0.5)
web = segment == "web"
print("binary flip_rate overall (weighted)", repr(float(np.sum(w * flipped) / np.sum(w))))
print("binary flip_rate segment/web (weighted)", repr(float(np.sum(w[web] * flipped[web]) / np.sum(w[web]))))
print("binary score_psi overall (weighted)", repr(score_psi(candidate, champion, w)))
print("binary score_psi segment/web (weighted)", repr(score_psi(candidate[web], champion[web], w[web])))

# Reference sample for drift: a little more app traffic, larger amounts.
m = 120
ref_segment = rng.choice(["web", "app", "pos", "kiosk", ""], m, p=[0.35, 0.40, 0.15, 0.07, 0.03])
ref_amount = np.round(np.exp(rng.normal(4.3, 1.1, m)), 2)
ref_amount_text = np.where(rng.random(m) < 0.02, "", ref_amount.astype(str))
pd.DataFrame({"id": [f"r{i:03d}" for i in range(m)], "segment": ref_segment, "amount": ref_amount_text}).to_csv(
    os.path.join(OUT, "reference.csv"), index=False)

# Numeric drift: deciles of the reference's present amounts; missing is its own bin.
ref_present = ref_amount_text != ""
edges = np.quantile(ref_amount[ref_present], np.arange(1, 10) / 10)
gold_present = amount_text != ""
golden_bins = np.append(binned(amount[gold_present], w[gold_present], edges), np.sum(w[~gold_present]))
reference_bins = np.append(binned(ref_amount[ref_present], None, edges), np.sum(~ref_present))
print("drift amount (numeric, golden weighted)", repr(psi(golden_bins, reference_bins)))
# Text drift: one bin per value on either side, and missing.
values = ["web", "app", "pos", "kiosk"]
golden_text = np.array([np.sum(w[segment == v]) for v in values] + [np.sum(w[segment == ""])])
reference_text = np.array([np.sum(ref_segment == v) for v in values] + [np.sum(ref_segment == "")], dtype=float)
print("drift segment (text, golden weighted)", repr(psi(golden_text, reference_text)))

# Multiclass: predicted classes, 90 rows, unweighted.
k = 90
labels = rng.choice(["cat", "dog", "fox"], k)
champion_class = np.where(rng.random(k) < 0.7, labels, rng.choice(["cat", "dog", "fox"], k))
candidate_class = np.where(rng.random(k) < 0.8, champion_class, rng.choice(["cat", "dog", "fox"], k))
pd.DataFrame({
    "id": [f"m{i:03d}" for i in range(k)], "label": labels, "candidate": candidate_class, "champion": champion_class,
}).to_csv(os.path.join(OUT, "multiclass.csv"), index=False)
print("multiclass flip_rate overall", repr(float(np.mean(candidate_class != champion_class))))

# Regression: predicted values with a shift, 100 rows, unweighted.
r = 100
target = np.round(rng.normal(50, 12, r), 1)
champion_pred = np.round(target + rng.normal(0, 5, r), 1)
candidate_pred = np.round(target + rng.normal(2.5, 6, r), 1)
pd.DataFrame({
    "id": [f"g{i:03d}" for i in range(r)], "target": target, "candidate": candidate_pred, "champion": champion_pred,
}).to_csv(os.path.join(OUT, "regression.csv"), index=False)
print("regression score_psi overall", repr(score_psi(candidate_pred, champion_pred, np.ones(r))))

# Multiple comparisons.
p = [0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.5, 0.0001]
for method in ["holm", "fdr_bh"]:
    print(method, [repr(float(x)) for x in multipletests(p, method=method)[1]])
