#!/usr/bin/env python3
"""How often does a gate block a candidate that is exactly as good as its
champion? Two models of identical quality (independent noise around the same
signal) are gated on 100 slices with `fail_on: significant`, once without a
multiple-comparison correction and once with each correction, over seeded
repetitions; the share of repetitions that block (exit 1) is the gate's
false-alarm rate. Holm controls the family-wise error, so it must block in at
most 1 - confidence (5%) of them; without a correction, one of 100 noisy
slices "significantly regresses" most of the time.

    python3 scripts/checks/simulate_corrections.py --bin .build/release/evalgate --reps 200
    python3 scripts/checks/simulate_corrections.py --bin .build/release/evalgate --reps 40   # the CI size

Exits 1 when Holm blocks in more than 5% of the repetitions (plus a binomial
allowance for small --reps), or when no correction does not block more often
than Holm.
"""
import argparse
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

SLICES = 100


def write_rep(folder, seed, rows_per_slice, bootstrap):
    rng = np.random.default_rng(seed)
    n = SLICES * rows_per_slice
    segment = np.repeat([f"s{k:02d}" for k in range(SLICES)], rows_per_slice)
    signal = rng.normal(0, 1.5, n)
    y = (rng.random(n) < 1 / (1 + np.exp(-signal))).astype(int)
    # The same quality: each model sees the signal through noise of the same size.
    candidate = 1 / (1 + np.exp(-(signal + rng.normal(0, 1.0, n))))
    champion = 1 / (1 + np.exp(-(signal + rng.normal(0, 1.0, n))))
    with open(os.path.join(folder, "golden.csv"), "w") as f:
        f.write("id,y,segment,candidate,champion\n")
        for i in range(n):
            f.write(f"r{i},{y[i]},{segment[i]},{candidate[i]:.6f},{champion[i]:.6f}\n")
    for correction in ["none", "holm", "bh"]:
        with open(os.path.join(folder, f"{correction}.yaml"), "w") as f:
            f.write(f"""version: 1
name: same-quality
dataset: {{path: golden.csv, id: id, label: y}}
models: {{candidate: {{score: candidate}}, champion: {{score: champion}}}}
slices: [{{name: segment, by: segment}}]
statistics: {{bootstrap: {bootstrap}, seed: {seed}, fail_on: significant, correction: {correction}}}
checks: [{{metric: auc, slices: ["segment/*"], max_drop: 0}}]
""")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=".build/release/evalgate")
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--rows", type=int, default=200, help="rows per slice")
    parser.add_argument("--bootstrap", type=int, default=2000, help="Holm over 100 tests needs at least 1999")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    blocked = {"none": 0, "holm": 0, "bh": 0}
    with tempfile.TemporaryDirectory() as folder:
        for rep in range(args.reps):
            write_rep(folder, 1000 + rep, args.rows, args.bootstrap)
            for correction in blocked:
                run = subprocess.run(
                    [args.bin, "check", os.path.join(folder, f"{correction}.yaml"), "--quiet", "--jobs", str(args.jobs),
                     "--report-dir", os.path.join(folder, "reports")], capture_output=True, text=True)
                if run.returncode not in (0, 1):
                    sys.exit(f"evalgate exited {run.returncode} on repetition {rep} ({correction}): {run.stderr.strip()}")
                blocked[correction] += run.returncode == 1
    rates = {c: blocked[c] / args.reps for c in blocked}
    print(f"{args.reps} repetitions, {SLICES} slices x {args.rows} rows, identical-quality models, bootstrap {args.bootstrap}:")
    for correction in blocked:
        print(f"  correction: {correction:4}  blocked {blocked[correction]:3d} of {args.reps} ({rates[correction]:.1%})")
    # Holm's family-wise error is at most 5%; allow two binomial standard errors for small --reps.
    allowance = 0.05 + 2 * math.sqrt(0.05 * 0.95 / args.reps)
    if rates["holm"] > allowance:
        sys.exit(f"holm blocked {rates['holm']:.1%} of identical-quality candidates, more than {allowance:.1%}")
    if rates["none"] <= rates["holm"]:
        sys.exit("without a correction the gate should block more often than with holm")


if __name__ == "__main__":
    main()
