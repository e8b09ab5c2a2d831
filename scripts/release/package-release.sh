#!/usr/bin/env bash
# Packages a built evalgate binary as a release asset:
#   DEST/evalgate-VERSION-linux-ARCH.tar.gz and DEST/evalgate-VERSION-linux-ARCH.tar.gz.sha256
# (the .sha256 in `sha256sum` format). Used by .github/workflows/release.yml
# and by the tests of the download-and-verify path.
#
#   scripts/release/package-release.sh BINARY VERSION ARCH DEST
set -euo pipefail
binary=$1 version=${2#v} arch=$3 dest=$4
name="evalgate-$version-linux-$arch.tar.gz"
mkdir -p "$dest"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$binary" "$stage/evalgate"
chmod 755 "$stage/evalgate"
# Symbols are half the file and no user needs them.
strip "$stage/evalgate"
# Fixed owner, order and times, so the same binary gives the same archive.
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$stage" -cf - evalgate | gzip -n -9 > "$dest/$name"
(cd "$dest" && sha256sum "$name" > "$name.sha256")
echo "$dest/$name"
