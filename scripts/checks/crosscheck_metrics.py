#!/usr/bin/env python3
"""Cross-check every metric evalgate reports against scikit-learn (flip_rate and
score_psi, which scikit-learn does not have, against numpy).

Generates random datasets (binary, multiclass, regression; weighted and
unweighted; tied scores; slices that lack a class), runs the built evalgate
binary on each, and compares every metric of every evaluated slice in
report.json with scikit-learn's value on the same rows and weights. Fails on
any relative difference above 1e-9, or when evalgate reports a value as
undefined where scikit-learn's inputs clearly define it (or vice versa).

    python3 scripts/checks/crosscheck_metrics.py [--bin .build/debug/evalgate] [--seeds 6]

Prints a last line "metrics cross-check: N passed, M failed".
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
from sklearn import metrics as skm

BINARY = ["accuracy", "balanced_accuracy", "precision", "recall", "specificity", "fpr", "fnr", "f1",
          "mcc", "auc", "pr_auc", "log_loss", "brier", "ece", "positive_rate", "count", "flip_rate", "score_psi"]
MULTICLASS = ["accuracy", "macro_f1", "micro_f1", "weighted_f1", "macro_precision", "macro_recall", "log_loss", "count",
              "flip_rate"]
REGRESSION = ["mae", "mse", "rmse", "mape", "r2", "count", "score_psi"]
# Candidate against champion: the candidate's value; the champion has none.
PAIRED = {"flip_rate", "score_psi"}
GROUPS = ["a", "b", "c", "d", "tiny"]


def ece(y, s, w):
    edges = [i / 10 for i in range(11)]
    total = w.sum()
    out = 0.0
    bins = np.array([min(9, max(b for b in range(10) if x >= edges[b])) for x in s])
    for b in range(10):
        m = bins == b
        if w[m].sum() > 0:
            out += w[m].sum() / total * abs(np.average(y[m], weights=w[m]) - np.average(s[m], weights=w[m]))
    return out


def paired_reference(name, task, cand, champ, w, threshold):
    """flip_rate: weighted share of rows whose predicted label differs (binary
    at the threshold, multiclass by arg-max, first class on ties); score_psi:
    10 bins [lo, hi) at numpy.quantile's deciles of the champion's scores,
    zero shares floored at 1e-4, rows weighted."""
    if len(w) == 0 or w.sum() == 0:
        return None
    if name == "flip_rate":
        if task == "binary":
            flipped = (cand >= threshold) != (champ >= threshold)
        else:
            flipped = np.argmax(cand, axis=1) != np.argmax(champ, axis=1)
        return float(np.sum(w * flipped) / np.sum(w))
    edges = np.quantile(champ, np.arange(1, 10) / 10)
    a = np.bincount(np.searchsorted(edges, cand, side="right"), weights=w, minlength=10)
    e = np.bincount(np.searchsorted(edges, champ, side="right"), weights=w, minlength=10)
    a, e = a / a.sum(), e / e.sum()
    a, e = np.where(a == 0, 1e-4, a), np.where(e == 0, 1e-4, e)
    return float(np.sum((a - e) * np.log(a / e)))


def binary_reference(name, y, s, w, threshold):
    pred = (s >= threshold).astype(int)
    tn, fp, fn, tp = skm.confusion_matrix(y, pred, labels=[0, 1], sample_weight=w).ravel()
    pos, neg = tp + fn, tn + fp
    if w.sum() == 0:
        return None
    needs = {"balanced_accuracy": "both", "recall": "pos", "fnr": "pos", "pr_auc": "pos", "auc": "both",
             "specificity": "neg", "fpr": "neg"}.get(name)
    if needs in ("pos", "both") and pos == 0:
        return None
    if needs in ("neg", "both") and neg == 0:
        return None
    return {
        "accuracy": lambda: skm.accuracy_score(y, pred, sample_weight=w),
        "balanced_accuracy": lambda: skm.balanced_accuracy_score(y, pred, sample_weight=w),
        "precision": lambda: skm.precision_score(y, pred, sample_weight=w, zero_division=0),
        "recall": lambda: skm.recall_score(y, pred, sample_weight=w),
        "specificity": lambda: skm.recall_score(y, pred, pos_label=0, sample_weight=w),
        "fpr": lambda: fp / (fp + tn),
        "fnr": lambda: fn / (fn + tp),
        "f1": lambda: skm.f1_score(y, pred, sample_weight=w, zero_division=0),
        "mcc": lambda: skm.matthews_corrcoef(y, pred, sample_weight=w),
        "auc": lambda: skm.roc_auc_score(y, s, sample_weight=w),
        "pr_auc": lambda: skm.average_precision_score(y, s, sample_weight=w),
        "log_loss": lambda: skm.log_loss(y, s, sample_weight=w, labels=[0, 1]),
        "brier": lambda: skm.brier_score_loss(y, s, sample_weight=w, pos_label=1),
        "ece": lambda: ece(y, s, w),
        "positive_rate": lambda: np.average(pred, weights=w),
    }[name]()


def multiclass_reference(name, y, p, w, classes):
    if w.sum() == 0:
        return None
    pred = np.argmax(p, axis=1)
    return {
        "accuracy": lambda: skm.accuracy_score(y, pred, sample_weight=w),
        "macro_f1": lambda: skm.f1_score(y, pred, average="macro", sample_weight=w, zero_division=0),
        "micro_f1": lambda: skm.f1_score(y, pred, average="micro", sample_weight=w, zero_division=0),
        "weighted_f1": lambda: skm.f1_score(y, pred, average="weighted", sample_weight=w, zero_division=0),
        "macro_precision": lambda: skm.precision_score(y, pred, average="macro", sample_weight=w, zero_division=0),
        "macro_recall": lambda: skm.recall_score(y, pred, average="macro", sample_weight=w, zero_division=0),
        "log_loss": lambda: skm.log_loss(y, p, sample_weight=w, labels=list(range(len(classes)))),
    }[name]()


def regression_reference(name, y, p, w):
    if w.sum() == 0:
        return None
    if name == "r2":
        mean = np.average(y, weights=w)
        if (w * (y - mean) ** 2).sum() == 0:
            return None
    return {
        "mae": lambda: skm.mean_absolute_error(y, p, sample_weight=w),
        "mse": lambda: skm.mean_squared_error(y, p, sample_weight=w),
        "rmse": lambda: skm.root_mean_squared_error(y, p, sample_weight=w),
        "mape": lambda: skm.mean_absolute_percentage_error(y, p, sample_weight=w),
        "r2": lambda: skm.r2_score(y, p, sample_weight=w),
    }[name]()


def make_case(rng, task, n, weighted, folder):
    group = rng.choice(GROUPS[:-1], size=n)
    group[: min(8, n)] = "tiny"
    ids = [f"r{i}" for i in range(n)]
    w = np.round(rng.uniform(0, 3, size=n), 3) if weighted else np.ones(n)
    if weighted:
        w[rng.random(n) < 0.05] = 0.0
    rows = {"id": ids, "group": group}
    threshold = 0.5
    if task == "binary":
        y = (rng.random(n) < 0.3).astype(int)
        y[group == "d"] = 0  # a slice without positives
        cand = np.round(np.clip(0.3 * y + rng.random(n) * 0.7, 0, 1), 2)  # ties
        champ = np.round(rng.random(n), 3)
        cand[: 3] = [0.0, 1.0, 0.5]
        rows.update(label=y, cand=cand, champ=champ)
        truth = {"y": y, "cand": cand, "champ": champ}
        spec = "  candidate:\n    path: preds.csv\n    score: cand\n  champion:\n    path: preds.csv\n    score: champ\n"
        metrics = BINARY
    elif task == "multiclass":
        classes = ["cat", "dog", "eel", "fox"]
        y = rng.integers(0, 4, size=n)
        y[group == "c"] = rng.integers(0, 2, size=(group == "c").sum())  # slice missing classes
        def probs(sharp):
            logits = rng.normal(size=(n, 4))
            logits[np.arange(n), y] += sharp
            e = np.exp(logits)
            p = e / e.sum(axis=1, keepdims=True)
            p = np.round(p, 6)
            p[:, -1] = 1 - p[:, :-1].sum(axis=1)
            return p
        pc, ph = probs(1.5), probs(0.7)
        pc[0] = [0.25, 0.25, 0.25, 0.25]  # an argmax tie: first class wins
        rows["label"] = [classes[k] for k in y]
        for k, c in enumerate(classes):
            rows[f"c_{c}"] = [repr(float(v)) for v in pc[:, k]]
            rows[f"h_{c}"] = [repr(float(v)) for v in ph[:, k]]
        truth = {"y": y, "cand": pc, "champ": ph, "classes": classes}
        cs = ", ".join(f"{c}: c_{c}" for c in classes)
        hs = ", ".join(f"{c}: h_{c}" for c in classes)
        spec = f"  candidate:\n    path: preds.csv\n    scores: {{{cs}}}\n  champion:\n    path: preds.csv\n    scores: {{{hs}}}\n"
        metrics = MULTICLASS
    else:
        y = np.round(rng.normal(50, 20, size=n), 1)
        y[group == "tiny"] = 7.5  # no variance: r2 undefined
        y[5 % n] = 0.0  # a zero label: mape's epsilon rule
        cand = np.round(y + rng.normal(0, 5, size=n), 3)
        champ = np.round(y + rng.normal(0, 7, size=n), 3)
        rows.update(label=y, cand=cand, champ=champ)
        truth = {"y": y, "cand": cand, "champ": champ}
        spec = "  candidate:\n    path: preds.csv\n    score: cand\n  champion:\n    path: preds.csv\n    score: champ\n"
        metrics = REGRESSION

    order = rng.permutation(n)
    data_cols = ["id", "label", "group"] + (["w"] if weighted else [])
    with open(os.path.join(folder, "golden.csv"), "w") as f:
        f.write(",".join(data_cols) + "\n")
        for i in range(n):
            vals = [ids[i], str(rows["label"][i]), str(group[i])] + ([repr(float(w[i]))] if weighted else [])
            f.write(",".join(vals) + "\n")
    pred_cols = [c for c in rows if c not in ("id", "label", "group")]
    with open(os.path.join(folder, "preds.csv"), "w") as f:
        f.write(",".join(["id"] + pred_cols) + "\n")
        for i in order:
            f.write(",".join([ids[i]] + [str(rows[c][i]) for c in pred_cols]) + "\n")
    # A min at the bottom of each metric's range never fails and is in range;
    # unusual: true allows it on lower-is-better metrics.
    lowest = {"mcc": "-1", "r2": "-1.0e+300"}
    checks = "".join(f"  - {{metric: {m}, min: {lowest.get(m, '0')}, unusual: true}}\n" for m in metrics)
    gate = (f"version: 1\nname: crosscheck\ntask: {task}\n"
            f"dataset: {{path: golden.csv, id: id, label: label{', weight: w' if weighted else ''}}}\n"
            f"models:\n{spec}"
            f"{'decision_threshold: 0.5' if task == 'binary' else ''}\n"
            f"slices:\n  - {{name: g, by: group}}\nchecks:\n{checks}")
    with open(os.path.join(folder, "gate.yaml"), "w") as f:
        f.write(gate)
    return truth, w, group, metrics, threshold


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=".build/debug/evalgate")
    parser.add_argument("--seeds", type=int, default=6)
    args = parser.parse_args()
    passed = failed = 0
    for seed in range(args.seeds):
        for task in ["binary", "multiclass", "regression"]:
            for weighted in [False, True]:
                rng = np.random.default_rng(1000 * seed + (task == "multiclass") * 10 + weighted)
                n = [40, 300, 2000][seed % 3]
                with tempfile.TemporaryDirectory() as folder:
                    truth, w, group, names, threshold = make_case(rng, task, n, weighted, folder)
                    run = subprocess.run([args.bin, "check", os.path.join(folder, "gate.yaml"), "--report-dir", folder, "--quiet"],
                                         capture_output=True, text=True)
                    if run.returncode != 0:
                        print(f"FAIL {task} seed={seed} weighted={weighted}: evalgate exited {run.returncode}: {run.stderr.strip()}")
                        failed += 1
                        continue
                    report = json.load(open(os.path.join(folder, "report.json")))
                for sl in report["slices"]:
                    if sl["status"] != "evaluated":
                        continue
                    mask = np.ones(len(group), bool) if sl["name"] == "overall" else (group == sl["name"].split("/")[1])
                    for model in ["candidate", "champion"]:
                        for name in names:
                            got = sl["metrics"][name][model]
                            if name == "count":
                                want = float(mask.sum())
                            elif name in PAIRED:
                                want = paired_reference(name, task, truth["cand"][mask], truth["champ"][mask], w[mask], threshold) if model == "candidate" else None
                            elif task == "binary":
                                want = binary_reference(name, truth["y"][mask], truth[model[:4] if False else ("cand" if model == "candidate" else "champ")][mask], w[mask], threshold)
                            elif task == "multiclass":
                                want = multiclass_reference(name, truth["y"][mask], truth["cand" if model == "candidate" else "champ"][mask], w[mask], truth["classes"])
                            else:
                                want = regression_reference(name, truth["y"][mask], truth["cand" if model == "candidate" else "champ"][mask], w[mask])
                            ok = (got is None and want is None) or (
                                got is not None and want is not None and math.isclose(got, float(want), rel_tol=1e-9, abs_tol=1e-12))
                            if ok:
                                passed += 1
                            else:
                                failed += 1
                                print(f"FAIL {task} n={n} weighted={weighted} seed={seed} slice={sl['name']} {model} {name}: evalgate {got}, scikit-learn {want}")
    print(f"metrics cross-check: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
