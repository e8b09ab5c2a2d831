#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers with libFuzzer (swiftc
# -sanitize=fuzzer,address): the CSV/TSV reader, the JSON Lines reader, the
# `where` parser, the gate-file decoder, the Parquet reader and snappy. Each target starts from a seed
# corpus made from fixtures/ and gates/ plus the reproducers of every bug
# found so far (Fuzz/regressions/TARGET/), then runs for a fixed budget with
# a fixed seed. A crash, sanitizer report, leak or timeout fails the script;
# the reproducer is kept in fuzz-artifacts/ (CI keeps that folder).
#
#   scripts/harness/fuzz.sh [SECONDS_PER_TARGET] [TARGET ...]     # default: 60, all six
# The Parquet targets are seeded from $EVALGATE_TEST_PARQUET/fuzz-seeds
# (scripts/harness/make-parquet.py writes them) when it is set.
#   EVALGATE_FUZZ_TARGET=csv .build-fuzz/debug/evalgate-fuzz FILE   # replay one input
set -euo pipefail
cd "$(dirname "$0")/../.."

budget=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv jsonl where gate parquet snappy)

EVALGATE_FUZZ=1 swift build --scratch-path .build-fuzz --product evalgate-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 \
  | grep -v "Cannot export local symbol" | tail -n 3
fuzzer=.build-fuzz/debug/evalgate-fuzz

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts=fuzz-artifacts
mkdir -p "$artifacts"

seed_corpus() {
  local target=$1 dir=$2 n=0
  mkdir -p "$dir"
  case $target in
    csv)
      # The harness reads the first byte as the delimiter switch (even: ',').
      for f in fixtures/*/*.csv; do
        n=$((n + 1))
        { printf ','; head -n 40 "$f"; } > "$dir/fixture-$n.csv"
        { printf '\001'; head -n 40 "$f" | tr ',' '\t'; } > "$dir/fixture-$n.tsv"
      done
      printf ',id,note\n1,"a, ""b"""\n2,"two\nlines"\r\n3,NA\n' > "$dir/quoted.csv" ;;
    jsonl)
      for f in fixtures/*/*.csv; do
        n=$((n + 1))
        head -n 20 "$f" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) k[i] = $i; next }
          { printf "{"; for (i = 1; i <= NF; i++) printf "%s\"%s\": \"%s\"", (i > 1 ? ", " : ""), k[i], $i; print "}" }' \
          > "$dir/fixture-$n.jsonl"
      done
      printf '{"id": 1, "s": 0.5, "ok": true, "m": null}\n{"id": "x\\u00e9", "s": 1e-3}\n' > "$dir/types.jsonl" ;;
    where)
      grep -h "where:" gates/*.yaml | sed -e "s/.*where: *//" -e "s/}$//" -e "s/^'//" -e "s/'$//" \
        | while IFS= read -r expression; do n=$((n + 1)); printf '%s' "$expression" > "$dir/gate-$n"; done
      printf '%s' 'not (a in [1, 2.5, "x"]) or b is not missing and c != "d"' > "$dir/all-operators" ;;
    gate)
      cp gates/*.yaml gates/*.json "$dir"/ ;;
    parquet)
      printf 'PAR1\0\0\0\0PAR1' > "$dir/empty-footer.parquet"
      if [ -n "${EVALGATE_TEST_PARQUET:-}" ]; then
        cp "$EVALGATE_TEST_PARQUET"/fuzz-seeds/*.parquet "$dir"/
        for f in "$EVALGATE_TEST_PARQUET"/types/*.parquet "$EVALGATE_TEST_PARQUET"/refusals/*.parquet; do
          cp "$f" "$dir/$(basename "$(dirname "$f")")-$(basename "$f")"
        done
      fi ;;
    snappy)
      # Two bytes of expected length, then the compressed bytes (pyarrow's).
      printf '\x4b\x00\x4b\x08\x61\x62\x63\xb2\x03\x00\x20\x20\x65\x76\x61\x6c\x67\x61\x74\x65\x46\x09\x00' > "$dir/text"
      printf '\x64\x00\x64\x00\x61\xfe\x01\x00\x8a\x01\x00' > "$dir/run" ;;
  esac
  if [ -d "Fuzz/regressions/$target" ]; then cp "Fuzz/regressions/$target"/* "$dir"/ 2>/dev/null || true; fi
}

status=0
for target in "${targets[@]}"; do
  seeds="$work/$target-seeds"
  corpus="$work/$target-corpus"
  seed_corpus "$target" "$seeds"
  mkdir -p "$corpus"
  log="$work/$target.log"
  set +e
  EVALGATE_FUZZ_TARGET=$target "$fuzzer" "$corpus" "$seeds" \
    -seed=1 -max_total_time="$budget" -max_len="${max_len:-4096}" -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix="$artifacts/$target-" -print_final_stats=1 > "$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 || true)
  if [ "$rc" = 0 ]; then
    echo "fuzz $target: ${budget}s, $runs executions, $coverage, no crash, leak or timeout"
  else
    status=1
    echo "FAIL fuzz $target (exit $rc): reproducer in $artifacts/:"
    ls "$artifacts" | grep "^$target-" || true
    grep -E "ERROR|==[0-9]+==|Fatal error|SUMMARY" "$log" | head -n 20 || true
    tail -n 40 "$log"
  fi
done
exit $status
