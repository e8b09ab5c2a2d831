#!/usr/bin/env bash
# Under a 300 MiB address-space limit, the 1M-row benchmark gate must end
# with exit 1 (it fits and regresses) or exit 3 with the memory sentence:
# never a signal, a Swift backtrace or exit 134.
#   bash scripts/checks/check-memory-limit.sh PATH/TO/evalgate
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:?usage: check-memory-limit.sh EVALGATE_BINARY}
data=bench-data/strings-1000000
[ -f "$data/gate.yaml" ] || python3 Benchmarks/generate.py --shape strings --rows 1000000 >/dev/null
err=$(mktemp)
set +e
prlimit --as=314572800 "$bin" check "$data/gate.yaml" --report-dir "$(mktemp -d)" --quiet 2>"$err"
rc=$?
set -e
echo "prlimit --as=300M evalgate check $data/gate.yaml: exit $rc"
cat "$err"
case $rc in
  1) echo "ok: it fits in 300 MiB and the gate decided" ;;
  3) grep -qE "this run needs about|ran out of memory" "$err" || { echo "FAIL: exit 3 without the memory sentence"; exit 1; }
     [ "$(wc -l < "$err")" -le 2 ] || { echo "FAIL: more than the memory sentence on stderr"; exit 1; }
     echo "ok: refused with the memory sentence" ;;
  *) echo "FAIL: expected exit 1 or 3, got $rc"; exit 1 ;;
esac
