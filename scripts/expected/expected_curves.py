#!/usr/bin/env python3
"""Prints the curve coordinates that CurveTests holds as literals.

ROC and precision-recall points from scikit-learn's roc_curve (its default
drop_intermediate=True) and precision_recall_curve, then the downsampling
rule report.html uses: at most 500 points, the points at indices
floor(i * (n - 1) / 499), i = 0..499 (first and last kept exactly).

    python3 scripts/expected/expected_curves.py
"""
import numpy as np
from sklearn.metrics import precision_recall_curve, roc_auc_score, roc_curve


def downsample(points, limit=500):
    n = len(points)
    if n <= limit:
        return points
    return [points[i * (n - 1) // (limit - 1)] for i in range(limit)]


def show(name, y, s, w):
    fpr, tpr, _ = roc_curve(y, s, sample_weight=w)
    precision, recall, _ = precision_recall_curve(y, s, sample_weight=w)
    roc = list(zip(fpr.tolist(), tpr.tolist()))
    pr = list(zip(recall.tolist(), precision.tolist()))
    print(f"# {name}: {len(roc)} ROC points, {len(pr)} PR points before downsampling; "
          f"roc_auc_score {roc_auc_score(y, s, sample_weight=w)!r}, "
          f"best precision at recall >= 0.5 {float(precision[recall >= 0.5].max())!r}")
    for label, points in (("roc", roc), ("pr", pr)):
        drawn = downsample(points)
        print(f"{label} drawn {len(drawn)}")
        if len(points) <= 20:
            print("  " + ", ".join(f"({x!r}, {y!r})" for x, y in drawn))
        else:
            for i in (0, 1, 2, 137, 250, 498, 499):
                if i < len(drawn):
                    print(f"  [{i}] ({drawn[i][0]!r}, {drawn[i][1]!r})")
            print(f"  sum x {sum(p[0] for p in drawn)!r}, sum y {sum(p[1] for p in drawn)!r}")


# Small: ties across classes, a zero weight (left out, as scikit-learn does).
scores = [0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.5, 0.4, 0.3, 0.3, 0.2, 0.1, 0.05]
labels = [1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0]
weights = [1, 2, 1, 0.5, 1, 1, 3, 0, 1, 2, 1, 1, 1, 0.5]
show("small weighted", labels, scores, weights)
show("small unweighted", labels, scores, None)

# Large: 6000 rows, about two per distinct score, weighted, every 50th row
# weight 0; the same integer formulas in CurveTests.
n = 6000
s = np.array([((i * 7919) % 3001) / 3001.0 for i in range(n)])
y = np.array([1 if ((i * 7919) % 3001 + (i * 104729) % 1000) > 2600 else 0 for i in range(n)])
w = np.array([0.0 if i % 50 == 0 else 1 + (i % 4) * 0.25 for i in range(n)])
show("large weighted", y, s, w)

# Reliability bins of the small weighted case: the ECE bins [i/10, (i+1)/10)
# with edges i / 10, the last closed (as crosscheck_metrics.py's ece).
s_arr, y_arr, w_arr = np.array(scores), np.array(labels), np.array(weights, dtype=float)
bins = np.array([min(9, max(b for b in range(10) if x >= b / 10)) for x in scores])
print("# reliability (bin, rows, weight, mean score, observed rate)")
for b in range(10):
    m = bins == b
    if m.any():
        wsum = w_arr[m].sum()
        mean = (w_arr[m] * s_arr[m]).sum() / wsum if wsum > 0 else None
        rate = (w_arr[m] * y_arr[m]).sum() / wsum if wsum > 0 else None
        show_ = lambda v: "nil" if v is None else repr(float(v))
        print(f"  {b}: {int(m.sum())}, {float(wsum)!r}, {show_(mean)}, {show_(rate)}")

from sklearn.metrics import confusion_matrix
actual = [0, 1, 2, 2, 1, 0, 0, 2, 1, 1, 2, 0]
predicted = [0, 2, 2, 1, 1, 0, 1, 2, 1, 0, 2, 0]
mw = [1, 2, 0.5, 1, 1, 3, 1, 1, 2, 0.25, 1, 1]
print("# confusion (weighted)", confusion_matrix(actual, predicted, sample_weight=mw).tolist())
