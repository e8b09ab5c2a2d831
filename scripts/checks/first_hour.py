#!/usr/bin/env python3
"""A new user's first hour, on data evalgate did not make.

For three scikit-learn datasets (breast cancer: binary, digits: multiclass,
diabetes: regression) it trains a model twice with different seeds (the
champion and a candidate that is exactly as good) and a clearly worse one
(trained on the two features least correlated with the target), writes everything with pandas' default
`to_csv`, then runs `evalgate init` and `evalgate check` as the README
says. It fails unless every gate init writes validates without a warning,
the same model with another seed passes on every slice, and the worse
model is blocked.

    python3 scripts/checks/first_hour.py --bin .build/debug/evalgate [--keep DIR]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.model_selection import train_test_split


def frames(name):
    """(golden, champion, candidate, worse) DataFrames for one dataset."""
    loader = {"breast_cancer": load_breast_cancer, "digits": load_digits, "diabetes": load_diabetes}[name]
    data = loader(as_frame=True)
    x = data.frame.drop(columns=["target"])
    x.columns = [c.replace(" ", "_") for c in x.columns]
    y = data.frame["target"]
    ids = np.arange(len(x)) + 1000
    x_train, x_test, y_train, y_test, _, id_test = train_test_split(x, y, ids, test_size=0.4, random_state=0)
    golden = x_test.copy()
    golden.insert(0, "sample_id", id_test)
    golden["target"] = y_test.values
    regression = name == "diabetes"
    model = RandomForestRegressor if regression else RandomForestClassifier

    def predictions(seed, columns):
        fitted = model(n_estimators=200, random_state=seed).fit(x_train[columns], y_train)
        out = pd.DataFrame({"sample_id": id_test})
        if regression:
            out["prediction"] = fitted.predict(x_test[columns])
        elif name == "breast_cancer":
            out["score"] = fitted.predict_proba(x_test[columns])[:, 1]
        else:
            for k, p in zip(fitted.classes_, fitted.predict_proba(x_test[columns]).T):
                out[f"p_{k}"] = p
        return out

    every = list(x.columns)
    # The clearly worse model sees only the two features least correlated with the target.
    weakest = x_train.corrwith(y_train.astype(float)).abs().sort_values().index[:2].tolist()
    return golden, predictions(1, every), predictions(2, every), predictions(3, weakest)


def run(binary, args, cwd):
    done = subprocess.run([binary] + args, cwd=cwd, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    return done.returncode, done.stdout + done.stderr


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--keep", help="leave the folders here, to read them")
    options = parser.parse_args()
    binary = os.path.abspath(options.bin)
    root = options.keep or tempfile.mkdtemp(prefix="evalgate-first-hour-")
    problems = []
    for name in ["breast_cancer", "digits", "diabetes"]:
        folder = os.path.join(root, name)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        golden, champion, candidate, worse = frames(name)
        golden.to_csv(os.path.join(folder, f"{name}_golden.csv"), index=False)
        champion.to_csv(os.path.join(folder, "champion.csv"), index=False)
        candidate.to_csv(os.path.join(folder, "candidate.csv"), index=False)
        worse.to_csv(os.path.join(folder, "worse.csv"), index=False)
        code, out = run(binary, ["init", "--dataset", f"{name}_golden.csv", "--candidate", "candidate.csv",
                                 "--champion", "champion.csv"], folder)
        print(f"$ evalgate init --dataset {name}_golden.csv --candidate candidate.csv --champion champion.csv\n{out}")
        if code != 0:
            problems.append(f"{name}: init exit {code}")
            continue
        gate = f"gates/{name}.yaml"
        code, out = run(binary, ["validate", gate], folder)
        if code != 0 or "warning" in out:
            problems.append(f"{name}: validate exit {code}: {out}")
        code, out = run(binary, ["check", gate], folder)
        print(f"$ evalgate check {gate}\n{out}")
        if code != 0 or "\n  FAIL" in out:
            problems.append(f"{name}: the same model with another seed was blocked (exit {code})")
        code, out = run(binary, ["check", gate, "--candidate", "worse.csv", "--report-dir", "worse-report"], folder)
        print(f"$ evalgate check {gate} --candidate worse.csv\n" + "\n".join(out.splitlines()[:6]) + "\n...\n")
        if code != 1:
            problems.append(f"{name}: the worse model was not blocked (exit {code})")
    if not options.keep:
        shutil.rmtree(root, ignore_errors=True)
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print("ok: init wrote three gates that validate, pass the same model with another seed and block a worse one")


if __name__ == "__main__":
    main()
