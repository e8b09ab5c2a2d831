#!/usr/bin/env bash
# Proves the release binary runs without Swift: builds evalgate with the
# Swift runtime linked statically, makes a minimal Debian root with
# debootstrap that holds only the runtime libraries the binary links
# (libsqlite3-0, libzstd1 and liblz4-1 added; glibc, zlib1g and libstdc++/libgcc come with the
# minimal base), copies the binary and the fraud example in, and runs it
# there with chroot: exit 1 (the example regresses) and three reports.
#
#   scripts/harness/test-static-binary.sh
#   EVALGATE_CHROOT=/path   where the Debian root is kept between runs
set -euo pipefail
cd "$(dirname "$0")/../.."

swift build -c release --static-swift-stdlib --product evalgate 2>&1 | tail -n 1
built="$(swift build -c release --static-swift-stdlib --show-bin-path)/evalgate"
# What a release ships: the binary as packaged (stripped) by package-release.sh.
assets=$(mktemp -d)
mounted=
trap 'rm -rf "$assets"; [ -z "$mounted" ] || umount "$mounted"' EXIT
asset=$(scripts/release/package-release.sh "$built" test "$(uname -m)" "$assets")
tar -xzf "$asset" -C "$assets" evalgate
bin="$assets/evalgate"
echo "binary: $(du -h "$bin" | cut -f1) ($(stat -c %s "$bin") bytes, stripped; $(stat -c %s "$asset") bytes as .tar.gz), linked against:"
ldd "$bin" | sed 's/^/  /'
if ldd "$bin" | grep -q 'libswift\|libFoundation\|libdispatch\|libicu'; then
  echo "FAIL: the binary still links the Swift runtime dynamically"; exit 1
fi

if ! command -v debootstrap >/dev/null 2>&1; then
  echo "installing: debootstrap"
  export DEBIAN_FRONTEND=noninteractive
  [ -n "${APT_UPDATED:-}" ] || apt-get update -q
  apt-get install -y -q debootstrap
fi
root=${EVALGATE_CHROOT:-/var/tmp/evalgate-debian-root}
if [ ! -x "$root/bin/sh" ] || [ ! -e "$root/.evalgate-complete" ]; then
  rm -rf "$root"
  debootstrap --variant=minbase --include=libsqlite3-0,libzstd1,liblz4-1 bookworm "$root" http://deb.debian.org/debian > /tmp/evalgate-debootstrap.log 2>&1 \
    || { tail -n 20 /tmp/evalgate-debootstrap.log; exit 1; }
  touch "$root/.evalgate-complete"
fi
if [ -n "$(find "$root" -name 'libswiftCore*' -print -quit)" ]; then
  echo "FAIL: the Debian root has a Swift runtime; the test would prove nothing"; exit 1
fi

rm -rf "$root/work"
mkdir -p "$root/work"
cp "$bin" "$root/work/evalgate"
cp -r gates fixtures "$root/work/"
# Swift reads its arguments from /proc/self/cmdline, as any container has it.
mount -t proc proc "$root/proc"
mounted="$root/proc"
set +e
chroot "$root" /bin/sh -c 'cd /work && ./evalgate --version && ./evalgate check gates/fraud.yaml --no-color'
rc=$?
set -e
[ "$rc" = 1 ] || { echo "FAIL: the fraud example exited $rc in the chroot, expected 1"; exit 1; }
for report in report.json junit.xml summary.md report.html; do
  [ -s "$root/work/evalgate-report/$report" ] || { echo "FAIL: no $report written in the chroot"; exit 1; }
done
echo "ok: the static binary ran the fraud example in a Debian root without Swift (exit 1, 4 reports)"
