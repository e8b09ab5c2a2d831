#!/usr/bin/env bash
# Tests the action's download-and-verify path (scripts/release/install-evalgate.sh)
# against a release folder served from a loopback HTTP server: a good asset
# installs and runs; a tampered asset is refused and never unpacked; a
# version without an asset reports "no asset" (exit 4) so the action can
# build from source instead.
#
#   scripts/harness/test-install.sh BINARY
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=$1
work=$(mktemp -d)
server=
cleanup() { [ -z "$server" ] || kill "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL install test: $*"; exit 1; }

version=$(sed -n 's/.*current = "\(.*\)".*/\1/p' Sources/EvalGateCore/Support/Version.swift)
case "$(uname -m)" in aarch64 | arm64) arch=arm64 ;; *) arch=x86_64 ;; esac
scripts/release/package-release.sh "$binary" "$version" "$arch" "$work/releases/v$version" >/dev/null
# The same binary, tampered with after its checksum was published.
scripts/release/package-release.sh "$binary" "9.9.9" "$arch" "$work/releases/v9.9.9" >/dev/null
printf 'x' >> "$work/releases/v9.9.9/evalgate-9.9.9-linux-$arch.tar.gz"

port=8765
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work/releases" >/dev/null 2>&1 &
server=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
export EVALGATE_RELEASE_URL="http://127.0.0.1:$port"

installed=$(scripts/release/install-evalgate.sh "v$version" "$work/good" 2>"$work/good.log") || fail "the good asset did not install: $(cat "$work/good.log")"
[ "$installed" = "$work/good/evalgate" ] || fail "printed '$installed'"
"$installed" --version | grep -qx "evalgate $version" || fail "the installed binary does not print its version"
echo "ok: v$version installed from 127.0.0.1:$port and verified ($(sha256sum "$installed" | cut -c1-12)...)"

set +e
scripts/release/install-evalgate.sh "v9.9.9" "$work/bad" 2>"$work/bad.log"
rc=$?
set -e
[ "$rc" = 1 ] || fail "a tampered asset gave exit $rc, expected 1"
grep -q "sha256 mismatch" "$work/bad.log" || fail "no mismatch message: $(cat "$work/bad.log")"
[ ! -e "$work/bad/evalgate" ] || fail "the tampered binary was unpacked"
echo "ok: a tampered asset is refused: $(cat "$work/bad.log")"

set +e
scripts/release/install-evalgate.sh "v0.0.1" "$work/none" 2>"$work/none.log"
rc=$?
set -e
[ "$rc" = 4 ] || fail "a missing release gave exit $rc, expected 4 (build from source)"
echo "ok: a version without a release asset exits 4: $(cat "$work/none.log")"
