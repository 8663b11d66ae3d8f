#!/usr/bin/env bash
# Builds the default Linux guest from Debian's own packages: the kernel that linux-image-cloud-amd64
# points to today, and a gzip'd newc initramfs with busybox-static, sysbench and the shared libraries
# sysbench loads, plus init.sh as /init. Nothing is compiled: what runs in the VM is what Debian ships.
#
# Usage: build-guest.sh [--quiet]
# Prints two lines on stdout: "kernel <path>" and "initrd <path>". Versions and sha256 sums go to
# stderr and to versions.txt next to the files. Output is cached in $GIANTVM_LINUX_CACHE
# (default ~/.cache/giantvm/linux), outside the work tree, keyed by the resolved package versions and
# init.sh's checksum, so a kernel moving on the archive yields a new directory rather than a broken one.
# Exit status: 0 built or cached; 2 with a one-line reason when a package cannot be fetched.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${GIANTVM_LINUX_CACHE:-$HOME/.cache/giantvm/linux}
KERNEL_META=linux-image-cloud-amd64
QUIET=0
[ "${1:-}" = --quiet ] && QUIET=1

die() { echo "build-guest: $*" >&2; exit 2; }
say() { [ "$QUIET" = 1 ] || echo "build-guest: $*" >&2; }

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock 9   # two first runs at once would download into the same place

# apt runs downloads as _apt; it only warns when it cannot write the directory as that user.
apt_q() { apt-get -q -o APT::Sandbox::User=root "$@"; }
updated=0
apt_update_once() { [ "$updated" = 1 ] || { say "apt-get update"; apt_q update >/dev/null 2>&1 || true; updated=1; }; }

# The concrete kernel package the meta-package depends on today (e.g. linux-image-6.1.0-41-cloud-amd64).
resolve_kernel() {
  apt-cache depends "$KERNEL_META" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -1
}
candidate() { apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: //p' | head -1; }

command -v cpio >/dev/null || { say "installing cpio"; apt_update_once; apt_q install -y --no-install-recommends cpio >/dev/null 2>&1 || die "apt-get install cpio failed"; }

# Without the archive (e.g. inside e2e/qemu-kvm's VM, which has no network) the newest complete build
# in the cache stands in for the one the package lists name, said loudly; without one either, fail.
fallback() {
  local best
  best=$(ls -1td "$CACHE"/linux-image-*/.complete 2>/dev/null | head -1)
  [ -n "$best" ] || die "$1"
  best=$(dirname "$best")
  echo "build-guest: $1; using the cached build $best instead" >&2
  echo "kernel $best/vmlinuz"; echo "initrd $best/initramfs.cpio.gz"; exit 0
}

KPKG=$(resolve_kernel || true)
if [ -z "$KPKG" ]; then apt_update_once; KPKG=$(resolve_kernel || true); fi
[ -n "$KPKG" ] || die "cannot resolve $KERNEL_META to a kernel package (apt-cache depends found none)"
KVER=$(candidate "$KPKG"); BBVER=$(candidate busybox-static); SBVER=$(candidate sysbench)
[ -n "$KVER" ] && [ -n "$BBVER" ] && [ -n "$SBVER" ] || { apt_update_once; KVER=$(candidate "$KPKG"); BBVER=$(candidate busybox-static); SBVER=$(candidate sysbench); }
[ -n "$KVER" ] && [ -n "$BBVER" ] && [ -n "$SBVER" ] || die "no candidate version for $KPKG, busybox-static or sysbench"

INIT_SUM=$(sha256sum "$HERE/init.sh" | cut -c1-12)
KEY=$(printf '%s\n' "$KPKG=$KVER" "busybox-static=$BBVER" "sysbench=$SBVER" "init=$INIT_SUM" "$(sha256sum "$0" | cut -c1-12)" | sha256sum | cut -c1-16)
OUT=$CACHE/$KPKG-$KEY
if [ -f "$OUT/.complete" ]; then
  echo "kernel $OUT/vmlinuz"; echo "initrd $OUT/initramfs.cpio.gz"; exit 0
fi

WORK=$(mktemp -d "$CACHE/.build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/debs" "$WORK/pkgroot" "$WORK/root"

# sysbench's whole run-time closure (libc included): the loader below picks the libraries it really needs.
SB_DEPS=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
  --no-enhances --no-pre-depends sysbench 2>/dev/null | grep -v '^ ' | grep -v '^<' | sort -u | grep -vE '^(debconf|perl-base|dpkg|tar|install-info)$' || true)
say "downloading $KPKG $KVER, busybox-static $BBVER, sysbench $SBVER and $(echo "$SB_DEPS" | wc -w) packages of its closure"
(cd "$WORK/debs" && apt_q download "$KPKG" busybox-static $SB_DEPS >/dev/null 2>"$WORK/apt.err") \
  || fallback "apt-get download failed: $(grep -m1 -E '^(E|W):' "$WORK/apt.err" || tail -1 "$WORK/apt.err")"

for deb in "$WORK"/debs/*.deb; do
  case "$(basename "$deb")" in
    linux-image-*) dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$WORK" --wildcards './boot/vmlinuz-*' ;;
    *) dpkg-deb -x "$deb" "$WORK/pkgroot" ;;
  esac
done
VMLINUZ=$(find "$WORK/boot" -name 'vmlinuz-*' | head -1)
[ -n "$VMLINUZ" ] || die "$KPKG has no /boot/vmlinuz-*"

# --- the initramfs tree -----------------------------------------------------------------------
R=$WORK/root
mkdir -p "$R"/{bin,sbin,usr/bin,proc,sys,dev,tmp,etc,lib64,lib/x86_64-linux-gnu}
cp "$WORK/pkgroot/bin/busybox" "$R/bin/busybox"
cp "$WORK/pkgroot/usr/bin/sysbench" "$R/usr/bin/sysbench"
cp "$HERE/init.sh" "$R/init"; chmod 755 "$R/init"
# The kernel opens /dev/console for init before anything is mounted: without the node, /init has no stdout.
mknod -m 600 "$R/dev/console" c 5 1
mknod -m 666 "$R/dev/null" c 1 3
# The libraries sysbench loads, as its own (Debian's) dynamic loader resolves them inside the package tree.
LIBPATH="$WORK/pkgroot/lib/x86_64-linux-gnu:$WORK/pkgroot/usr/lib/x86_64-linux-gnu"
LOADER=$WORK/pkgroot/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
[ -e "$LOADER" ] || LOADER=$WORK/pkgroot/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
[ -e "$LOADER" ] || die "libc6 gave no dynamic loader"
LIBS=$("$LOADER" --library-path "$LIBPATH" --list "$WORK/pkgroot/usr/bin/sysbench" | awk '$2 == "=>" && $3 ~ /^\// {print $3}')
[ -n "$LIBS" ] || die "cannot list sysbench's shared libraries"
for lib in $LIBS; do
  case "$lib" in "$WORK/pkgroot/"*) ;; *) die "sysbench needs $lib, which no package of its closure provides" ;; esac
  cp -L "$lib" "$R/lib/x86_64-linux-gnu/"
done
cp -L "$LOADER" "$R/lib64/ld-linux-x86-64.so.2"
NLIBS=$(echo "$LIBS" | wc -w)

mkdir -p "$OUT.tmp"
cp "$VMLINUZ" "$OUT.tmp/vmlinuz"
(cd "$R" && find . -print0 | LC_ALL=C sort -z | cpio --null --create --format=newc --owner=0:0 --quiet) | gzip -9 -n > "$OUT.tmp/initramfs.cpio.gz"
{
  echo "$KPKG $KVER"
  echo "busybox-static $BBVER"
  echo "sysbench $SBVER ($NLIBS shared libraries)"
  echo "init.sh $INIT_SUM"
  (cd "$OUT.tmp" && sha256sum vmlinuz initramfs.cpio.gz)
  (cd "$WORK/debs" && sha256sum -- *.deb)
} > "$OUT.tmp/versions.txt"
rm -rf "$OUT"; mv "$OUT.tmp" "$OUT"; touch "$OUT/.complete"
[ "$QUIET" = 1 ] || head -6 "$OUT/versions.txt" | sed 's/^/build-guest: /' >&2
say "initramfs $(du -h "$OUT/initramfs.cpio.gz" | cut -f1), kernel $(du -h "$OUT/vmlinuz" | cut -f1) in $OUT"
echo "kernel $OUT/vmlinuz"; echo "initrd $OUT/initramfs.cpio.gz"
