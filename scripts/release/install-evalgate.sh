#!/usr/bin/env bash
# Installs a released evalgate binary, as the GitHub Action does: downloads
# evalgate-VERSION-linux-ARCH.tar.gz and its .sha256 from the release,
# verifies the checksum BEFORE unpacking or running anything, and installs
# the binary into DEST. Prints the binary's path on success.
#
#   scripts/release/install-evalgate.sh VERSION DEST
#
# EVALGATE_RELEASE_URL  where the releases are (default
#                       https://github.com/$EVALGATE_REPOSITORY/releases/download);
#                       assets are read from $EVALGATE_RELEASE_URL/vVERSION/.
# Exit codes: 0 installed; 4 no release asset for this version and platform
# (the caller may build from source); 1 download failed or the checksum does
# not match (never fall back: a tampered asset must stop the job).
set -euo pipefail
version=${1#v} dest=$2

case "$(uname -s)" in
  Linux) ;;
  *) echo "evalgate releases are built for Linux; this runner is $(uname -s)" >&2; exit 4 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) arch=x86_64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "no evalgate release for $(uname -m)" >&2; exit 4 ;;
esac

name="evalgate-$version-linux-$arch.tar.gz"
base="${EVALGATE_RELEASE_URL:-https://github.com/${EVALGATE_REPOSITORY:?set EVALGATE_REPOSITORY=OWNER/REPO or EVALGATE_RELEASE_URL}/releases/download}/v$version"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

status=$(curl -sSL --retry 3 -o "$work/$name" -w '%{http_code}' "$base/$name") || {
  echo "evalgate: could not download $base/$name" >&2; exit 1; }
if [ "$status" = 404 ]; then
  echo "evalgate: no release asset $name at $base" >&2
  exit 4
fi
[ "$status" = 200 ] || { echo "evalgate: downloading $base/$name gave HTTP $status" >&2; exit 1; }
curl -fsSL --retry 3 -o "$work/$name.sha256" "$base/$name.sha256" || {
  echo "evalgate: $name has no checksum file ($name.sha256) at $base; refusing to run an unverified binary" >&2; exit 1; }

expected=$(awk '{print $1; exit}' "$work/$name.sha256")
actual=$(sha256sum "$work/$name" | awk '{print $1}')
if [ "$expected" != "$actual" ]; then
  echo "evalgate: sha256 mismatch for $name: the release says $expected, the download is $actual; refusing to run it" >&2
  exit 1
fi

mkdir -p "$dest"
tar -xzf "$work/$name" -C "$dest" evalgate
"$dest/evalgate" --version >&2
echo "$dest/evalgate"
