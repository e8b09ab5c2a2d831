#!/usr/bin/env python3
"""Writes the scikit-learn reference values used by the Swift metric tests.

Run by hand (needs scikit-learn 1.9), never by `swift test`:
    python3 scripts/expected/expected_metrics.py

It writes
- fixtures/metrics/binary.csv, multiclass.csv, regression.csv: realistic
  cases (a few hundred rows, weights including zeros, tied scores, a slice
  missing a class), and
- Tests/EvalGateCoreTests/Metrics/SklearnExpected.swift: the inputs of the small
  hand-checkable cases and every expected value as a literal, each with the
  scikit-learn call that produced it.
"""
import os

import numpy as np
from sklearn import metrics as skm

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Tests", "EvalGateCoreTests", "Metrics", "SklearnExpected.swift")
FIX = os.path.join(ROOT, "fixtures", "metrics")


def ece(y, s, w):
    bins = np.array([min(9, max(b for b in range(10) if x >= b / 10)) for x in s])
    total = w.sum()
    return sum(w[bins == b].sum() / total * abs(np.average(y[bins == b], weights=w[bins == b]) - np.average(s[bins == b], weights=w[bins == b]))
               for b in range(10) if w[bins == b].sum() > 0)


def binary_expected(y, s, w, t=0.5):
    y, s, w = np.array(y), np.array(s, float), np.array(w, float)
    pred = (s >= t).astype(int)
    tn, fp, fn, tp = skm.confusion_matrix(y, pred, labels=[0, 1], sample_weight=w).ravel()
    out = {
        "accuracy": ("accuracy_score(y, s >= t, sample_weight=w)", skm.accuracy_score(y, pred, sample_weight=w)),
        "precision": ("precision_score(y, s >= t, sample_weight=w, zero_division=0)", skm.precision_score(y, pred, sample_weight=w, zero_division=0)),
        "f1": ("f1_score(y, s >= t, sample_weight=w, zero_division=0)", skm.f1_score(y, pred, sample_weight=w, zero_division=0)),
        "mcc": ("matthews_corrcoef(y, s >= t, sample_weight=w)", skm.matthews_corrcoef(y, pred, sample_weight=w)),
        "log_loss": ("log_loss(y, s, sample_weight=w, labels=[0, 1])", skm.log_loss(y, s, sample_weight=w, labels=[0, 1])),
        "brier": ("brier_score_loss(y, s, sample_weight=w, pos_label=1)", skm.brier_score_loss(y, s, sample_weight=w, pos_label=1)),
        "ece": ("numpy, SPEC.md definition (10 bins)", ece(y, s, w)),
        "positive_rate": ("np.average(s >= t, weights=w)", np.average(pred, weights=w)),
    }
    if tp + fn > 0:
        out["recall"] = ("recall_score(y, s >= t, sample_weight=w)", skm.recall_score(y, pred, sample_weight=w))
        out["fnr"] = ("fn / (fn + tp) of confusion_matrix(..., sample_weight=w)", fn / (fn + tp))
        out["pr_auc"] = ("average_precision_score(y, s, sample_weight=w)", skm.average_precision_score(y, s, sample_weight=w))
    if tn + fp > 0:
        out["specificity"] = ("recall_score(y, s >= t, pos_label=0, sample_weight=w)", skm.recall_score(y, pred, pos_label=0, sample_weight=w))
        out["fpr"] = ("fp / (fp + tn) of confusion_matrix(..., sample_weight=w)", fp / (fp + tn))
    if tp + fn > 0 and tn + fp > 0:
        out["auc"] = ("roc_auc_score(y, s, sample_weight=w)", skm.roc_auc_score(y, s, sample_weight=w))
        out["balanced_accuracy"] = ("balanced_accuracy_score(y, s >= t, sample_weight=w)", skm.balanced_accuracy_score(y, pred, sample_weight=w))
    return out


def multiclass_expected(y, p, w):
    y, p, w = np.array(y), np.array(p, float), np.array(w, float)
    pred = np.argmax(p, axis=1)
    k = p.shape[1]
    return {
        "accuracy": ("accuracy_score(y, argmax(p), sample_weight=w)", skm.accuracy_score(y, pred, sample_weight=w)),
        "macro_f1": ("f1_score(y, argmax(p), average='macro', sample_weight=w, zero_division=0)", skm.f1_score(y, pred, average="macro", sample_weight=w, zero_division=0)),
        "micro_f1": ("f1_score(y, argmax(p), average='micro', sample_weight=w)", skm.f1_score(y, pred, average="micro", sample_weight=w, zero_division=0)),
        "weighted_f1": ("f1_score(y, argmax(p), average='weighted', sample_weight=w, zero_division=0)", skm.f1_score(y, pred, average="weighted", sample_weight=w, zero_division=0)),
        "macro_precision": ("precision_score(y, argmax(p), average='macro', sample_weight=w, zero_division=0)", skm.precision_score(y, pred, average="macro", sample_weight=w, zero_division=0)),
        "macro_recall": ("recall_score(y, argmax(p), average='macro', sample_weight=w, zero_division=0)", skm.recall_score(y, pred, average="macro", sample_weight=w, zero_division=0)),
        "log_loss": ("log_loss(y, p, sample_weight=w, labels=range(k))", skm.log_loss(y, p, sample_weight=w, labels=list(range(k)))),
    }


def regression_expected(y, p, w):
    y, p, w = np.array(y, float), np.array(p, float), np.array(w, float)
    return {
        "mae": ("mean_absolute_error(y, p, sample_weight=w)", skm.mean_absolute_error(y, p, sample_weight=w)),
        "mse": ("mean_squared_error(y, p, sample_weight=w)", skm.mean_squared_error(y, p, sample_weight=w)),
        "rmse": ("root_mean_squared_error(y, p, sample_weight=w)", skm.root_mean_squared_error(y, p, sample_weight=w)),
        "mape": ("mean_absolute_percentage_error(y, p, sample_weight=w)", skm.mean_absolute_percentage_error(y, p, sample_weight=w)),
        "r2": ("r2_score(y, p, sample_weight=w)", skm.r2_score(y, p, sample_weight=w)),
    }


def lit(values):
    return "[" + ", ".join(repr(float(v)) if not isinstance(v, (int, np.integer)) else str(int(v)) for v in values) + "]"


def expected_lines(expected, indent):
    pad = " " * indent
    return "\n".join(f'{pad}("{name}", {float(value)!r}),  // {call}' for name, (call, value) in sorted(expected.items()))


def main():
    os.makedirs(FIX, exist_ok=True)
    rng = np.random.default_rng(20261124)
    small_binary = [
        ("perfect ranking", [0, 0, 1, 1], [0.1, 0.4, 0.6, 0.9], [1, 1, 1, 1]),
        ("ties across classes", [0, 1, 0, 1, 1, 0], [0.5, 0.5, 0.2, 0.8, 0.2, 0.8], [1, 1, 1, 1, 1, 1]),
        ("weighted with a zero weight", [1, 0, 1, 0, 1, 0, 0], [0.9, 0.7, 0.55, 0.5, 0.3, 0.2, 0.05], [2, 1, 0.5, 3, 1, 0, 1.5]),
        ("scores at 0 and 1 (log_loss clipping)", [1, 0, 1, 0], [1.0, 0.0, 0.0, 1.0], [1, 1, 1, 1]),
        ("no positives predicted", [1, 0, 0, 1, 0], [0.1, 0.2, 0.3, 0.4, 0.45], [1, 1, 1, 1, 1]),
    ]
    swift = ['// swift-format-ignore-file', '// Generated by scripts/expected/expected_metrics.py with scikit-learn 1.9; do not edit by hand.',
             '// Each expected value is a literal; the comment names the call that produced it.',
             '', 'enum SklearnExpected {',
             '    struct BinaryCase: Sendable {',
             '        var name: String',
             '        var labels: [UInt8]',
             '        var scores: [Double]',
             '        var weights: [Double]',
             '        var expected: [(String, Double)]',
             '    }', '',
             '    static let smallBinary: [BinaryCase] = [']
    for name, y, s, w in small_binary:
        swift.append(f'        BinaryCase(name: "{name}", labels: {lit(y)}, scores: {lit(s)}, weights: {lit(w)}, expected: [')
        swift.append(expected_lines(binary_expected(y, s, w), 12))
        swift.append('        ]),')
    swift.append('    ]')

    # Realistic binary: 400 rows, weights with zeros, scores rounded (ties),
    # group "z" has no positives.
    n = 400
    group = rng.choice(["x", "y", "z"], size=n, p=[0.5, 0.35, 0.15])
    y = (rng.random(n) < 0.25).astype(int)
    y[group == "z"] = 0
    s = np.round(np.clip(0.35 * y + rng.beta(2, 4, size=n), 0, 1), 2)
    w = np.round(rng.gamma(2.0, 0.6, size=n), 3)
    w[rng.random(n) < 0.04] = 0.0
    with open(os.path.join(FIX, "binary.csv"), "w") as f:
        f.write("id,label,score,weight,group\n")
        for i in range(n):
            f.write(f"b{i},{y[i]},{float(s[i])!r},{float(w[i])!r},{group[i]}\n")
    swift.append('')
    swift.append('    /// fixtures/metrics/binary.csv, threshold 0.5, weighted; per slice (all rows, then group == x, y, z).')
    swift.append('    static let realisticBinary: [(slice: String, expected: [(String, Double)])] = [')
    for name, mask in [("overall", np.ones(n, bool)), ("x", group == "x"), ("y", group == "y"), ("z", group == "z")]:
        swift.append(f'        ("{name}", [')
        swift.append(expected_lines(binary_expected(y[mask], s[mask], w[mask]), 12))
        swift.append('        ]),')
    swift.append('    ]')

    # Realistic multiclass: 300 rows, 3 classes, a class never predicted in slice.
    n = 300
    classes = ["low", "mid", "high"]
    yc = rng.integers(0, 3, size=n)
    logits = rng.normal(size=(n, 3))
    logits[np.arange(n), yc] += 1.2
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    p = np.round(p, 6)
    p[:, 2] = 1 - p[:, 0] - p[:, 1]
    p[0] = [0.4, 0.4, 0.2]  # argmax tie: first class wins
    wc = np.round(rng.uniform(0.2, 2.0, size=n), 2)
    with open(os.path.join(FIX, "multiclass.csv"), "w") as f:
        f.write("id,label,p_low,p_mid,p_high,weight\n")
        for i in range(n):
            f.write(f"m{i},{classes[yc[i]]},{float(p[i, 0])!r},{float(p[i, 1])!r},{float(p[i, 2])!r},{float(wc[i])!r}\n")
    swift.append('')
    swift.append('    /// fixtures/metrics/multiclass.csv (classes low, mid, high), weighted.')
    swift.append('    static let realisticMulticlass: [(String, Double)] = [')
    swift.append(expected_lines(multiclass_expected(yc, p, wc), 8))
    swift.append('    ]')
    swift.append('')
    swift.append('    /// fixtures/metrics/multiclass.csv, unweighted.')
    swift.append('    static let realisticMulticlassUnweighted: [(String, Double)] = [')
    swift.append(expected_lines(multiclass_expected(yc, p, np.ones(n)), 8))
    swift.append('    ]')

    # Realistic regression: 250 rows with a zero label (mape's epsilon).
    n = 250
    yr = np.round(rng.normal(100, 30, size=n), 2)
    yr[3] = 0.0
    pr = np.round(yr + rng.normal(0, 8, size=n), 3)
    wr = np.round(rng.uniform(0, 2, size=n), 2)
    with open(os.path.join(FIX, "regression.csv"), "w") as f:
        f.write("id,label,prediction,weight\n")
        for i in range(n):
            f.write(f"g{i},{float(yr[i])!r},{float(pr[i])!r},{float(wr[i])!r}\n")
    swift.append('')
    swift.append('    /// fixtures/metrics/regression.csv, weighted.')
    swift.append('    static let realisticRegression: [(String, Double)] = [')
    swift.append(expected_lines(regression_expected(yr, pr, wr), 8))
    swift.append('    ]')
    swift.append('}')
    with open(OUT, "w") as f:
        f.write("\n".join(swift) + "\n")


if __name__ == "__main__":
    main()
