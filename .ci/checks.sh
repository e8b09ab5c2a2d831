#!/usr/bin/env bash
# Extra checks after `swift test`: run every example gate with the built
# binary and check exit codes and that reports are byte-identical across --jobs.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build
bin=.build/debug/evalgate
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

declare -A expected=([fraud.yaml]=1 [breast-cancer.yaml]=0 [wine.json]=0 [diabetes.yaml]=0)
for gate in gates/*; do
  name=$(basename "$gate")
  for jobs in 1 4; do
    set +e
    "$bin" check "$gate" --report-dir "$out/$name-$jobs" --jobs "$jobs" --quiet
    rc=$?
    set -e
    if [ "$rc" != "${expected[$name]}" ]; then
      echo "FAIL: $gate exited $rc, expected ${expected[$name]}"; exit 1
    fi
  done
  cmp "$out/$name-1/report.json" "$out/$name-4/report.json"
  echo "ok: $gate exit ${expected[$name]}, reports identical for --jobs 1 and 4"
done
