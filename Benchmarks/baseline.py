#!/usr/bin/env python3
"""What a user would write instead of evalgate: pandas + scikit-learn.

Loads the three CSVs of a Benchmarks/generate.py workload (either shape),
merges the predictions by id, builds the same slices (query, groupby, cut),
and computes the gate's binary metrics per slice for both models with
scikit-learn, on a thread pool of --jobs workers (scikit-learn's metrics
release the GIL in numpy). As fast as that idiom allows: vectorised, one
merge, slices as index arrays, sorting left to scikit-learn.

    python3 Benchmarks/baseline.py bench-data/1000000 --jobs 2 --out metrics.json
"""
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
from sklearn import metrics as skm

from shapes import SHAPES, THRESHOLD, baseline_args, bin_labels, count_metrics, shape_of, write_results


def ece(y, s, w):
    # Same edges as evalgate: bin i is [i/10, (i+1)/10).
    edges = np.arange(11) / 10
    bins = np.clip(np.searchsorted(edges, s, side="right") - 1, 0, 9)
    total = w.sum()
    wb = np.bincount(bins, weights=w, minlength=10)
    yb = np.bincount(bins, weights=w * y, minlength=10)
    sb = np.bincount(bins, weights=w * s, minlength=10)
    m = wb > 0
    return float(np.sum(wb[m] / total * np.abs(yb[m] / wb[m] - sb[m] / wb[m])))


def metrics(y, s, w, wanted):
    # One confusion matrix per slice and model; the count metrics derive
    # from it (as scikit-learn does inside each *_score call), the ranking
    # and probability metrics call scikit-learn.
    pred = (s >= THRESHOLD).astype(int)
    tn, fp, fn, tp = skm.confusion_matrix(y, pred, labels=[0, 1], sample_weight=w).ravel()
    pos, neg, total = tp + fn, tn + fp, tp + fn + tn + fp
    has_pos, has_neg = pos > 0, neg > 0
    pp, pn = tp + fp, tn + fn
    cov_ytyp = (tp + tn) * total - (neg * pn + pos * pp)
    cov_ypyp = total * total - (pn * pn + pp * pp)
    cov_ytyt = total * total - (neg * neg + pos * pos)
    out = {
        "accuracy": (tp + tn) / total,
        "precision": tp / pp if pp > 0 else 0.0,
        "f1": 2 * tp / (2 * tp + fp + fn) if (2 * tp + fp + fn) > 0 else 0.0,
        "mcc": cov_ytyp / np.sqrt(cov_ytyt * cov_ypyp) if cov_ypyp * cov_ytyt != 0 else 0.0,
        "log_loss": skm.log_loss(y, s, sample_weight=w, labels=[0, 1]),
        "brier": skm.brier_score_loss(y, s, sample_weight=w, pos_label=1),
        "ece": ece(y, s, w),
        "positive_rate": pp / total,
        "count": float(len(y)),
        "recall": tp / pos if has_pos else None,
        "fnr": fn / pos if has_pos else None,
        "pr_auc": skm.average_precision_score(y, s, sample_weight=w) if has_pos else None,
        "specificity": tn / neg if has_neg else None,
        "fpr": fp / neg if has_neg else None,
        "auc": skm.roc_auc_score(y, s, sample_weight=w) if has_pos and has_neg else None,
        "balanced_accuracy": (tp / pos + tn / neg) / 2 if has_pos and has_neg else None,
    }
    return {k: (None if v is None else float(v)) for k, v in out.items()}


def few_metrics(y, s, w, wanted):
    """Only the metrics a gate asks for: the count metrics from one weighted
    confusion matrix, AUC from scikit-learn."""
    pred = (s >= THRESHOLD).astype(int)
    tn, fp, fn, tp = skm.confusion_matrix(y, pred, labels=[0, 1], sample_weight=w).ravel()
    out = count_metrics(tp, fp, fn, tn, wanted)
    if "auc" in wanted:
        out["auc"] = skm.roc_auc_score(y, s, sample_weight=w) if 0 < y.sum() < len(y) else None
    return {k: (None if v is None else float(v)) for k, v in out.items()}


def main():
    args = baseline_args()
    shape = SHAPES[shape_of(args.folder)]
    key, score = shape["id"], shape["score"]
    if args.parquet:
        golden = pd.read_parquet(os.path.join(args.folder, "golden.parquet"))
        cand = pd.read_parquet(os.path.join(args.folder, "candidate.parquet")).rename(columns={score: "cand"})
        champ = pd.read_parquet(os.path.join(args.folder, "champion.parquet")).rename(columns={score: "champ"})
    else:
        golden = pd.read_csv(os.path.join(args.folder, "golden.csv"), dtype={c: str for c in shape["text"]})
        cand = pd.read_csv(os.path.join(args.folder, "candidate.csv")).rename(columns={score: "cand"})
        champ = pd.read_csv(os.path.join(args.folder, "champion.csv")).rename(columns={score: "champ"})
    df = golden.merge(cand, on=key, how="left", validate="one_to_one").merge(champ, on=key, how="left", validate="one_to_one")
    assert not df[["cand", "champ"]].isna().any().any(), "every golden id needs a prediction"

    slices = [("overall", np.arange(len(df)))]
    for name, where in shape["where"]:
        slices.append((name, np.flatnonzero(where(df.__getitem__, lambda c, values: c.isin(values)).to_numpy())))
    for name, cols in shape["by"]:
        for value, idx in sorted(df.groupby(cols if len(cols) > 1 else cols[0]).indices.items()):
            slices.append((f"{name}/{'/'.join(value) if isinstance(value, tuple) else value}", idx))
    for name, col, edges in shape["bins"]:
        bounds, names = bin_labels(edges)
        cut = pd.cut(df[col], bins=bounds, right=False, labels=names)
        for value, idx in df.groupby(cut, observed=True).indices.items():
            slices.append((f"{name}/{value}", idx))

    y = df[shape["label"]].to_numpy()
    w = df[shape["weight"]].to_numpy()
    scores = {"candidate": df.cand.to_numpy(), "champion": df.champ.to_numpy()}
    wanted = set(shape["metrics"])
    score_slice = metrics if len(wanted) > 5 else few_metrics

    def work(item):
        name, idx = item
        if len(idx) < shape["min_slice"]:
            return name, None
        return name, {m: score_slice(y[idx], s[idx], w[idx], wanted) for m, s in scores.items()}

    with ThreadPoolExecutor(args.jobs) as pool:
        results = dict(pool.map(work, slices))
    write_results(args.out, results)


if __name__ == "__main__":
    main()
