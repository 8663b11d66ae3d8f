#!/usr/bin/env bash
# Puts the default guest kernel's real System.map beside it, so that the engine can name the guest-physical
# pages the DSM moves most after the kernel symbols in them (giantvm run --guest linux --nodes N).
#
# Debian's linux-image package ships a placeholder System.map ("The real System.map is in the
# linux-image-<version>-dbg package"); the -dbg package is ~280 MB, so this is a separate, opt-in step rather
# than part of build-guest.sh. Run it once after build-guest.sh; it writes System.map into the cached build
# directory (without changing that directory's key) and does nothing when the file is already there.
#
# Usage: fetch-symbols.sh            Exit status: 0 done or already there; 2 with a one-line reason.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() { echo "fetch-symbols: $*" >&2; exit 2; }

KERNEL=$("$HERE/build-guest.sh" --quiet | sed -n 's/^kernel //p')
[ -n "$KERNEL" ] || die "build-guest.sh named no kernel"
DIR=$(dirname "$KERNEL")
if [ -s "$DIR/System.map" ]; then
  echo "fetch-symbols: $DIR/System.map is there" >&2; exit 0
fi
# The cache directory is named <kernel package>-<key>.
KPKG=$(basename "$DIR" | sed 's/-[0-9a-f]\{16\}$//')
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "fetch-symbols: downloading $KPKG-dbg (about 280 MB) for its System.map" >&2
(cd "$WORK" && apt-get -q -o APT::Sandbox::User=root download "$KPKG-dbg" >/dev/null 2>"$WORK/apt.err") \
  || die "apt-get download $KPKG-dbg failed: $(grep -m1 -E '^(E|W):' "$WORK/apt.err" || tail -1 "$WORK/apt.err")"
dpkg-deb --fsys-tarfile "$WORK"/*.deb | tar -x -C "$WORK" --wildcards './usr/lib/debug/boot/System.map-*'
MAP=$(find "$WORK/usr/lib/debug/boot" -name 'System.map-*' | head -1)
[ -n "$MAP" ] || die "$KPKG-dbg has no System.map"
cp "$MAP" "$DIR/System.map.tmp" && mv "$DIR/System.map.tmp" "$DIR/System.map"
echo "fetch-symbols: $(wc -l < "$DIR/System.map") symbols in $DIR/System.map" >&2
