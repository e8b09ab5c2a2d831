#!/usr/bin/env bash
# Extra checks after `swift test`: the formatter; then run every example gate with the built
# binary; check exit codes, that reports are byte-identical across --jobs,
# that junit.xml validates against the JUnit schema (also for a gate that
# could not run), that summary.md renders as GitHub-flavoured Markdown, and
# that report.html is strict HTML5 that loads nothing from elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."

# The toolchain's formatter with the checked-in .swift-format (120 columns);
# `swift format format -i -r Sources Tests Fuzz Package.swift` fixes most of it.
swift format lint --strict -r Sources Tests Fuzz Package.swift
long=$(awk 'length > 120 { print FILENAME ":" FNR }' $(git ls-files 'Sources/*.swift'))
[ -z "$long" ] || { echo "FAIL: lines over 120 columns:"; echo "$long"; exit 1; }
echo "ok: swift format lint --strict, no line over 120 columns in Sources/"
# One job per function: no body over 60 lines unless a "Kept whole:" comment says why.
python3 scripts/checks/function_length.py Sources
swift build
bin=.build/debug/evalgate
schema=schemas/junit-10.xsd
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
  for file in report.json junit.xml summary.md report.html; do
    cmp "$out/$name-1/$file" "$out/$name-4/$file"
  done
  xmllint --noout --schema "$schema" "$out/$name-1/junit.xml"
  echo "ok: $gate exit ${expected[$name]}, reports identical for --jobs 1 and 4"
done

# A gate that cannot run still writes a valid junit.xml with one <error>.
printf 'version: 1\nname: broken\n' > "$out/broken.yaml"
set +e
"$bin" check "$out/broken.yaml" --report-dir "$out/broken" --quiet 2>/dev/null
rc=$?
set -e
[ "$rc" = 2 ] || { echo "FAIL: broken gate exited $rc, expected 2"; exit 1; }
xmllint --noout --schema "$schema" "$out/broken/junit.xml"
grep -q '<error message=' "$out/broken/junit.xml"

python3 -c "import markdown_it" 2>/dev/null || python3 -m pip install -q markdown-it-py
python3 scripts/checks/render_summary.py "$out"/*-1/summary.md "$out/broken/summary.md"

python3 -c "import html5lib" 2>/dev/null || python3 -m pip install -q html5lib
python3 scripts/checks/check_html.py "$out"/*-1/report.html
