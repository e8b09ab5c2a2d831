#!/usr/bin/env python3
"""Side-by-side benchmark: evalgate vs the pandas + scikit-learn baseline.

Generates the workload if missing (Benchmarks/generate.py), builds evalgate
in release mode, runs both once as a warm-up and then --runs times each in
alternation, and prints median wall time, peak RSS and the ratio. Checks
that both produce the same metric values (1e-9 relative).

    python3 Benchmarks/run.py [--rows 1000000] [--runs 5] [--jobs 2] [--skip-baseline] [--versus OTHER_EVALGATE]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd, env=None):
    """Wall seconds and peak RSS (MiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, code


def compare(report_path, baseline_path):
    report = json.load(open(report_path))
    base = json.load(open(baseline_path))
    compared = worst = bad = 0
    for s in report["slices"]:
        b = base.get(s["name"])
        if b is None or s["status"] != "evaluated":
            continue
        for metric, v in s["metrics"].items():
            for model in ("candidate", "champion"):
                x, y = v[model], b[model][metric]
                compared += 1
                if x is None or y is None:
                    bad += x != y
                    continue
                d = abs(x - y) / max(abs(y), 1e-300)
                worst = max(worst, d)
                bad += d > 1e-9
    return compared, worst, bad


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--versus", metavar="BINARY", help="also time another evalgate build (e.g. the previous commit's) in the same series")
    args = parser.parse_args()
    data = os.path.join(ROOT, "bench-data", str(args.rows))
    if not os.path.exists(os.path.join(data, "gate.yaml")):
        subprocess.run([sys.executable, "Benchmarks/generate.py", "--rows", str(args.rows), "--out", data], cwd=ROOT, check=True)
    subprocess.run(["swift", "build", "-c", "release", "--product", "evalgate"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    binary = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip() + "/evalgate"
    out = tempfile.mkdtemp()
    evalgate = [binary, "check", os.path.join(data, "gate.yaml"), "--report-dir", out, "--jobs", str(args.jobs), "--quiet"]
    baseline = [sys.executable, "Benchmarks/baseline.py", data, "--jobs", str(args.jobs), "--out", os.path.join(out, "baseline.json")]
    tools = [("evalgate", evalgate)] + ([] if args.skip_baseline else [("pandas+sklearn", baseline)])
    if args.versus:
        other = [args.versus] + evalgate[1:]
        other[other.index("--report-dir") + 1] = os.path.join(out, "versus")
        tools.append(("versus", other))
    results = {name: [] for name, _ in tools}
    for name, cmd in tools:  # warm-up (page cache, first build)
        timed(cmd)
    for _ in range(args.runs):
        for name, cmd in tools:
            wall, rss, code = timed(cmd)
            if code not in (0, 1):
                sys.exit(f"{name} exited {code}")
            results[name].append((wall, rss))
    print(f"workload: {args.rows} rows, 3 CSV files of {sum(os.path.getsize(os.path.join(data, f)) for f in ('golden.csv', 'candidate.csv', 'champion.csv')) / 1e6:.0f} MB, "
          f"{len(json.load(open(os.path.join(out, 'report.json')))['slices'])} slices, --jobs {args.jobs}, {args.runs} runs each")
    medians = {}
    for name, runs in results.items():
        walls = [w for w, _ in runs]
        medians[name] = statistics.median(walls)
        print(f"{name:>15}: median {medians[name]:.3f} s (min {min(walls):.3f}, max {max(walls):.3f}), peak RSS {max(r for _, r in runs):.0f} MiB")
    if not args.skip_baseline:
        print(f"{'ratio':>15}: evalgate takes 1/{medians['pandas+sklearn'] / medians['evalgate']:.1f} of the baseline's time")
        compared, worst, bad = compare(os.path.join(out, "report.json"), os.path.join(out, "baseline.json"))
        print(f"{'agreement':>15}: {compared} metric values compared, worst relative difference {worst:.2e}, {bad} above 1e-9")
        if bad:
            sys.exit(1)


if __name__ == "__main__":
    main()
