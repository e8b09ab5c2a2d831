"""The two benchmark workloads as data, shared by both baselines so that they
build exactly the slices and metrics that evalgate's gate.yaml declares.

A `where` slice is a function of (col, isin) so that one definition serves
pandas (col = df.__getitem__) and Polars (col = pl.col).
"""
import argparse
import json
import math

NUMERIC = {
    "id": "id", "label": "label", "weight": "weight", "score": "score",
    "text": ["c3", "c8", "c20", "c50"],
    "min_slice": 50,
    "where": [
        ("big_spend", lambda col, isin: (col("amount") >= 1000) & (col("c3") != "a")),
        ("odd_segment", lambda col, isin: isin(col("c8"), ["b", "e", "h"]) | (col("score_band") < 10)),
    ],
    "by": [("c3", ["c3"]), ("c8", ["c8"]), ("c20", ["c20"]), ("c50", ["c50"]), ("c3_c8", ["c3", "c8"])],
    "bins": [("amount_band", "amount", [10, 100, 1000, 10000]), ("score_band_bins", "score_band", [20, 40, 60, 80])],
    "metrics": ["accuracy", "precision", "f1", "mcc", "log_loss", "brier", "ece", "positive_rate", "count",
                "recall", "fnr", "pr_auc", "specificity", "fpr", "auc", "balanced_accuracy"],
}

STRINGS = {
    "id": "user_id", "label": "churned", "weight": "weight", "score": "p_churn",
    "text": ["region", "channel", "plan", "merchant"],
    "min_slice": 1000,
    "where": [
        ("high_value", lambda col, isin: (col("amount") >= 1000) & (col("channel") != "atm")),
        ("new_or_trial", lambda col, isin: (col("tenure_months") < 6) | isin(col("plan"), ["trial", "free"])),
    ],
    "by": [("region", ["region"]), ("plan", ["plan"]), ("merchant", ["merchant"]), ("region_channel", ["region", "channel"])],
    "bins": [("amount_band", "amount", [10, 50, 100, 500, 1000, 5000, 10000]),
             ("tenure_band", "tenure_months", [3, 6, 12, 24, 48, 96])],
    "metrics": ["accuracy", "precision", "recall", "f1", "auc"],
}

REALISTIC = dict(STRINGS, metrics=["accuracy", "precision", "recall", "f1", "auc", "pr_auc", "log_loss", "brier", "ece"])

SHAPES = {"numeric": NUMERIC, "strings": STRINGS, "realistic": REALISTIC}
THRESHOLD = 0.5


def shape_of(folder):
    """The shape a generated folder holds, from its gate's name."""
    with open(f"{folder}/gate.yaml") as f:
        text = f.read()
    for shape in ("strings", "realistic"):
        if f"name: benchmark-{shape}" in text:
            return shape
    return "numeric"


def fmt(x):
    """evalgate's shortest round-trip number form for bin edges."""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def bin_labels(edges):
    """Bounds (with the open outer bins) and evalgate's `[lo,hi)` names."""
    bounds = [-math.inf] + list(edges) + [math.inf]
    names = [f"[{'-inf' if lo == -math.inf else fmt(lo)},{'+inf' if hi == math.inf else fmt(hi)})"
             for lo, hi in zip(bounds[:-1], bounds[1:])]
    return bounds, names


def count_metrics(tp, fp, fn, tn, wanted):
    """The confusion-matrix metrics evalgate defines, from weighted counts
    (precision and f1 are 0 when undefined, recall is null without positives)."""
    pos, pp, total = tp + fn, tp + fp, tp + fp + fn + tn
    out = {}
    if "accuracy" in wanted:
        out["accuracy"] = (tp + tn) / total
    if "precision" in wanted:
        out["precision"] = tp / pp if pp > 0 else 0.0
    if "recall" in wanted:
        out["recall"] = tp / pos if pos > 0 else None
    if "f1" in wanted:
        out["f1"] = 2 * tp / (2 * tp + fp + fn) if (2 * tp + fp + fn) > 0 else 0.0
    return out


def baseline_args():
    """The command line every baseline takes: FOLDER [--jobs N] [--out FILE]."""
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", default=None)
    parser.add_argument("--parquet", action="store_true", help="read FOLDER's .parquet files instead of its .csv")
    return parser.parse_args()


def write_results(path, results):
    """Per slice: None (too small) or {model: {metric: value}}, as JSON."""
    if path:
        with open(path, "w") as f:
            json.dump(results, f)
