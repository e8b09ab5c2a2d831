#!/usr/bin/env python3
"""Side-by-side benchmark: evalgate vs pandas + scikit-learn and vs Polars.

Generates the workload if missing (Benchmarks/generate.py, --shape numeric
or strings), builds evalgate in release mode, runs every tool once as a
warm-up and then --runs times each in alternation, and prints median wall
time, min-max, peak RSS and the ratios. Checks that every baseline produces
the same metric values as evalgate (1e-9 relative) and stops at the first
baseline that fails.

    python3 Benchmarks/run.py [--shape numeric|strings|realistic] [--rows 1000000] [--runs 5] [--jobs 2]
                              [--format csv|parquet] [--exponent] [--skip-baseline] [--versus OTHER_EVALGATE]

--shape realistic writes numbers as pandas does (shortest round trip of a
float64, 16-17 significant digits); --exponent writes its scores as %.18e.

--format parquet writes the workload's three CSV files once more as Parquet
with pyarrow's defaults (snappy, dictionary, data page v1) beside them
(FOLDER-parquet/) and times evalgate on Parquet, evalgate on the CSV files,
and the baselines on Parquet (Polars' scan_parquet, pandas' read_parquet),
in one alternating series.

Needs: numpy (generator; pandas for the realistic shape); pandas and
scikit-learn (baseline.py); polars (baseline_polars.py, strings and
realistic shapes); pyarrow (--format parquet).
pip install numpy pandas scikit-learn polars pyarrow
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import default_folder  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


BASELINE_NEEDS = {"pandas+sklearn": ["numpy", "pandas", "sklearn"], "polars": ["polars"]}


def timed(name, cmd, ok=(0, 1)):
    """Wall seconds and peak RSS (MiB) of one child process; exits naming
    the tool when it fails, with its error output."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode(errors="replace")
    if code not in ok:
        sys.exit(f"benchmark stopped: {name} exited {code}: {' '.join(cmd)}\n{stderr.strip()}")
    return wall, usage.ru_maxrss / 1024


def missing_packages(tool):
    """The Python modules a baseline needs that this interpreter lacks."""
    missing = []
    for module in BASELINE_NEEDS[tool]:
        try:
            __import__(module)
        except ImportError:
            missing.append("scikit-learn" if module == "sklearn" else module)
    return missing


def compare(report_path, baseline_path):
    report = json.load(open(report_path))
    base = json.load(open(baseline_path))
    compared = worst = bad = 0
    for s in report["slices"]:
        if s["name"] not in base:
            raise SystemExit(f"{baseline_path} has no slice {s['name']}")
        b = base[s["name"]]
        if (b is None) != (s["status"] != "evaluated"):
            raise SystemExit(f"{baseline_path}: slice {s['name']} is {s['status']} in evalgate but not in the baseline")
        if b is None:
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


def parquet_copy(data):
    """The workload as Parquet written by pyarrow with its defaults (once),
    in a child process: a parent that imported pyarrow would pass its peak
    RSS on to every child it forks (ru_maxrss survives exec)."""
    folder = data + "-parquet"
    if not os.path.exists(os.path.join(folder, "gate.yaml")):
        subprocess.run([sys.executable, "Benchmarks/to_parquet.py", data, folder], cwd=ROOT, check=True)
    return folder


def profile(cmd):
    """One run's EVALGATE_PROFILE stages: name -> milliseconds."""
    run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=dict(os.environ, EVALGATE_PROFILE="1"))
    stages = {}
    for line in run.stderr.splitlines():
        if line.startswith("evalgate profile: ") and " ms, " in line:
            name, ms = line[len("evalgate profile: "):].split(" ms, ")[0].rsplit(" ", 1)
            stages[name] = float(ms)
    return stages


def comparable(path):
    """report.json without what names the files (paths, hashes)."""
    with open(path) as f:
        report = json.load(f)
    for key in ("inputs", "contract"):
        report.pop(key, None)
    return json.dumps(report, sort_keys=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shape", choices=["numeric", "strings", "realistic"], default="numeric")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--format", choices=["csv", "parquet"], default="csv")
    parser.add_argument("--exponent", action="store_true", help="realistic shape: scores written as %%.18e")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--versus", metavar="BINARY", help="also time another evalgate build (e.g. the previous commit's) in the same series")
    parser.add_argument("--bootstrap", type=int, metavar="B",
                        help="time the gate with statistics: {bootstrap: B} against the same gate without, in one series (no baselines)")
    args = parser.parse_args()
    data = os.path.join(ROOT, default_folder(args.shape, args.rows))
    if args.exponent:
        data += "-exponent"
    if not os.path.exists(os.path.join(data, "gate.yaml")):
        subprocess.run([sys.executable, "Benchmarks/generate.py", "--shape", args.shape, "--rows", str(args.rows), "--out", data]
                       + (["--exponent"] if args.exponent else []), cwd=ROOT, check=True)
    subprocess.run(["swift", "build", "-c", "release", "--product", "evalgate"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    binary = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip() + "/evalgate"
    out = tempfile.mkdtemp()
    csv_data = data
    if args.format == "parquet":
        data = parquet_copy(data)
    evalgate = [binary, "check", os.path.join(data, "gate.yaml"), "--report-dir", out, "--jobs", str(args.jobs), "--quiet"]
    baselines = [("pandas+sklearn", "baseline.py")] + ([("polars", "baseline_polars.py")] if args.shape in ("strings", "realistic") else [])
    if args.skip_baseline or args.bootstrap:
        baselines = []
    for name, _ in baselines:
        if missing := missing_packages(name):
            sys.exit(f"benchmark stopped: the {name} baseline needs the Python packages {', '.join(missing)}: "
                     f"pip install {' '.join(missing)} (or pass --skip-baseline)")
    parquet = ["--parquet"] if args.format == "parquet" else []
    tools = [("evalgate", evalgate)] + [
        (name, [sys.executable, f"Benchmarks/{script}", data, "--jobs", str(args.jobs), "--out", os.path.join(out, f"{name}.json")] + parquet)
        for name, script in baselines]
    if args.format == "parquet":
        on_csv = [binary, "check", os.path.join(csv_data, "gate.yaml"), "--report-dir", os.path.join(out, "csv"),
                  "--jobs", str(args.jobs), "--quiet"]
        tools.insert(1, ("evalgate on CSV", on_csv))
    if args.bootstrap:
        with open(os.path.join(data, "gate.yaml")) as f:
            text = f.read()
        resampled = os.path.join(data, f"gate-bootstrap-{args.bootstrap}.yaml")
        with open(resampled, "w") as f:
            f.write(text.replace("\nchecks:", f"\nstatistics: {{bootstrap: {args.bootstrap}, seed: 7}}\nchecks:", 1))
        with_statistics = [binary, "check", resampled, "--report-dir", os.path.join(out, "bootstrap"), "--jobs", str(args.jobs), "--quiet"]
        tools.append((f"B={args.bootstrap}", with_statistics))
    if args.versus:
        other = [args.versus] + evalgate[1:]
        other[other.index("--report-dir") + 1] = os.path.join(out, "versus")
        tools.append(("versus", other))
        if args.bootstrap:
            other_statistics = [args.versus] + with_statistics[1:]
            other_statistics[other_statistics.index("--report-dir") + 1] = os.path.join(out, "versus-bootstrap")
            tools.append((f"versus B={args.bootstrap}", other_statistics))
    results = {name: [] for name, _ in tools}
    for name, cmd in tools:  # warm-up (page cache, first build)
        timed(name, cmd, ok=(0,) if name in ("pandas+sklearn", "polars") else (0, 1))
    for _ in range(args.runs):
        for name, cmd in tools:
            results[name].append(timed(name, cmd, ok=(0,) if name in ("pandas+sklearn", "polars") else (0, 1)))
    kind = "Parquet" if args.format == "parquet" else "CSV"
    files = [f"{name}.{kind.lower()}" for name in ("golden", "candidate", "champion")]
    print(f"workload: {args.rows} rows, 3 {kind} files of {sum(os.path.getsize(os.path.join(data, f)) for f in files) / 1e6:.0f} MB, "
          f"{len(json.load(open(os.path.join(out, 'report.json')))['slices'])} slices, --jobs {args.jobs}, {args.runs} runs each")
    medians = {}
    for name, runs in results.items():
        walls = [w for w, _ in runs]
        medians[name] = statistics.median(walls)
        print(f"{name:>15}: median {medians[name]:.3f} s (min {min(walls):.3f}, max {max(walls):.3f}), peak RSS {max(r for _, r in runs):.0f} MiB")
    html = os.path.join(out, "report.html")
    if os.path.exists(html):
        print(f"{'report.html':>15}: {os.path.getsize(html) / 2**20:.2f} MiB")
    if args.format == "parquet":
        # Reading alone: each file's read-and-hash and parse summed (the CPU
        # spent reading), and the wall time of the stage that also keys them.
        reading = {"evalgate": ([], []), "evalgate on CSV": ([], [])}
        for _ in range(args.runs):
            for name, cmd in tools[:2]:
                stages = profile(cmd)
                files = sum(stages[f"{role}: {what}"] for role in ("dataset", "candidate", "champion")
                            for what in ("read and sha256", "parse"))
                reading[name][0].append(files)
                reading[name][1].append(stages["read, parse and key the files"])
        (p_files, p_stage), (c_files, c_stage) = ((statistics.median(a), statistics.median(b))
                                                  for a, b in reading.values())
        print(f"{'reading':>15}: read, hash and parse the three files (summed over files): Parquet {p_files:.0f} ms, "
              f"CSV {c_files:.0f} ms: {c_files / p_files:.2f}x; with keying the ids (stage wall time): "
              f"Parquet {p_stage:.0f} ms, CSV {c_stage:.0f} ms: {c_stage / p_stage:.2f}x")
        same = comparable(os.path.join(out, "report.json")) == comparable(os.path.join(out, "csv", "report.json"))
        print(f"{'on CSV':>15}: evalgate on Parquet is {medians['evalgate on CSV'] / medians['evalgate']:.2f}x the CSV run; "
              f"reports {'identical' if same else 'DIFFERENT'} but for the inputs")
        if not same:
            sys.exit("benchmark failed: the Parquet run's report differs from the CSV run's")
    if args.versus:
        print(f"{'versus':>15}: this build takes {medians['evalgate'] - medians['versus']:+.3f} s "
              f"({(medians['evalgate'] / medians['versus'] - 1) * 100:+.1f}%) against the other build")
        pairs = [("", "versus")] + ([("bootstrap", "versus-bootstrap")] if args.bootstrap else [])
        for mine, theirs in pairs:
            names = ("report.json", "junit.xml", "summary.md", "report.html")
            differ = [n for n in names if open(os.path.join(out, mine, n), "rb").read()
                      != open(os.path.join(out, theirs, n), "rb").read()]
            print(f"{'':>15}  reports{' with statistics' if mine else ''}: "
                  f"{'byte-identical to' if not differ else 'DIFFERENT from (' + ', '.join(differ) + ')'} the other build's")
        if args.bootstrap:
            b = f"B={args.bootstrap}"
            print(f"{'versus ' + b:>15}: this build takes {medians[b]:.3f} s against {medians['versus ' + b]:.3f} s: "
                  f"{medians['versus ' + b] / medians[b]:.2f}x faster")
    if args.bootstrap:
        print(f"{'statistics':>15}: B={args.bootstrap} costs {medians[f'B={args.bootstrap}'] / medians['evalgate']:.1f}x the gate without, "
              f"{(medians[f'B={args.bootstrap}'] - medians['evalgate']) / args.bootstrap * 1000 * 1e6 / args.rows:.1f} ms per resample per million rows")
    failed = False
    for name, _ in baselines:
        compared, worst, bad = compare(os.path.join(out, "report.json"), os.path.join(out, f"{name}.json"))
        print(f"{'vs ' + name:>15}: evalgate is {medians[name] / medians['evalgate']:.1f}x faster; "
              f"{compared} metric values compared, worst relative difference {worst:.2e}, {bad} above 1e-9")
        failed |= bad > 0 or compared == 0
    if failed:
        sys.exit("benchmark failed: a baseline disagrees with evalgate (or compared nothing)")


if __name__ == "__main__":
    main()
