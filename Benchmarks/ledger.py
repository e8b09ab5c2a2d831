#!/usr/bin/env python3
"""What --ledger adds to a check: the same gate timed without a ledger, with
a SQLite ledger and (given --postgres URL) with a PostgreSQL ledger,
alternating, after one warm-up each. The ledgers accumulate runs as a CI
ledger would. Prints median, min and max wall time per variant.

    python3 Benchmarks/ledger.py [--gate gates/fraud.yaml] [--runs 5] [--jobs 2] [--postgres URL]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--gate", default="gates/fraud.yaml")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--postgres", help="a postgres:// URL to time as well")
    args = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--product", "evalgate"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    binary = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip() + "/evalgate"
    out = tempfile.mkdtemp()
    base = [binary, "check", args.gate, "--report-dir", out, "--jobs", str(args.jobs), "--quiet"]
    variants = [("no ledger", base), ("SQLite ledger", base + ["--ledger", os.path.join(out, "ledger.sqlite")])]
    if args.postgres:
        variants.append(("PostgreSQL ledger", base + ["--ledger", args.postgres]))
    times = {name: [] for name, _ in variants}
    for round_ in range(args.runs + 1):
        for name, cmd in variants:
            start = time.perf_counter()
            proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            wall = time.perf_counter() - start
            if proc.returncode not in (0, 1) or proc.stderr:
                sys.exit(f"{name}: exit {proc.returncode}: {proc.stderr}")
            if round_ > 0:  # the first round warms the page cache
                times[name].append(wall)
    print(f"{args.gate}, --jobs {args.jobs}, {args.runs} runs each (alternating)")
    reference = statistics.median(times["no ledger"])
    for name, walls in times.items():
        median = statistics.median(walls)
        print(f"{name:>18}: median {median * 1000:.1f} ms (min {min(walls) * 1000:.1f}, max {max(walls) * 1000:.1f}),"
              f" {1000 * (median - reference):+.1f} ms")


if __name__ == "__main__":
    main()
