#!/usr/bin/env bash
# Runs one command inside a small Linux VM that has a working /dev/kvm, on a machine that has none.
#
# The build machines of this project are themselves PVM guests without nested virtualization, so
# /dev/kvm is missing. QEMU's TCG (pure software emulation) can emulate an AMD CPU with SVM and
# nested paging, and a stock Debian kernel inside it then loads kvm_amd: slow, but real KVM.
# The host's root filesystem is shared read-only over 9p and overlaid with a RAM-backed upper
# layer, so inside the VM every host path is where it is outside and the command may write
# anywhere (writes are thrown away), except in --rw directories (default: the working directory),
# whose writes go through to the host.
#
# Usage: run.sh [--timeout S] [--stall-file F --stall S] [--mem MB] [--cpus N] [--cpu MODEL] [--rw DIR]... [--no-cwd-rw] [-v] -- CMD ARGS...
# Exit status: CMD's status; 2 when the harness itself cannot run (one-line reason on stderr);
# 124 when --timeout expired (QEMU is killed); 125 when the VM failed under the command: QEMU went away before
# the command reported a status, or the VM froze — the command keeps touching F (a path in a writable share,
# e.g. under the working directory), and F went S seconds without a touch (QEMU is killed).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=layout.sh
. "$HERE/layout.sh"

die() { echo "run.sh: $*" >&2; exit 2; }
log() { if [ "$VERBOSE" = 1 ]; then echo "run.sh: $*" >&2; fi; }

TIMEOUT=$QKVM_DEFAULT_TIMEOUT_S
STALL_FILE=
STALL_S=
MEM=$QKVM_DEFAULT_MEM_MB
CPUS=$QKVM_DEFAULT_CPUS
CPU_MODEL=$QKVM_DEFAULT_CPU_MODEL
VERBOSE=0
CWD_RW=1
RW_DIRS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) [ $# -ge 2 ] || die "--timeout needs a number of seconds"; TIMEOUT=$2; shift 2 ;;
    --stall-file) [ $# -ge 2 ] || die "--stall-file needs a path"; STALL_FILE=$2; shift 2 ;;
    --stall) [ $# -ge 2 ] || die "--stall needs a number of seconds"; STALL_S=$2; shift 2 ;;
    --mem) [ $# -ge 2 ] || die "--mem needs a size in MiB"; MEM=$2; shift 2 ;;
    --cpus) [ $# -ge 2 ] || die "--cpus needs a count"; CPUS=$2; shift 2 ;;
    --cpu) [ $# -ge 2 ] || die "--cpu needs a QEMU CPU model"; CPU_MODEL=$2; shift 2 ;;
    --rw) [ $# -ge 2 ] || die "--rw needs a directory"; RW_DIRS+=("$2"); shift 2 ;;
    --no-cwd-rw) CWD_RW=0; shift ;;
    -v|--verbose) VERBOSE=1; shift ;;
    --) shift; break ;;
    *) die "unknown option '$1' (usage: run.sh [--timeout S] [--stall-file F --stall S] [--mem MB] [--cpus N] [--cpu MODEL] [--rw DIR]... [--no-cwd-rw] [-v] -- CMD ARGS...)" ;;
  esac
done
[ $# -gt 0 ] || die "no command given (usage: run.sh [options] -- CMD ARGS...)"
[[ "$TIMEOUT" =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive whole number of seconds, got '$TIMEOUT'"
if [ -n "$STALL_FILE" ] || [ -n "$STALL_S" ]; then
  [ -n "$STALL_FILE" ] && [ -n "$STALL_S" ] || die "--stall-file and --stall go together"
  [[ "$STALL_S" =~ ^[1-9][0-9]*$ ]] || die "--stall must be a positive whole number of seconds, got '$STALL_S'"
  rm -f "$STALL_FILE" || die "cannot remove an old stall file $STALL_FILE"
fi
[[ "$MEM" =~ ^[1-9][0-9]*$ ]] && [ "$MEM" -ge 256 ] || die "--mem must be a whole number of MiB >= 256, got '$MEM'"
[[ "$CPUS" =~ ^[1-9][0-9]*$ ]] || die "--cpus must be a positive whole number, got '$CPUS'"
[ "$(id -u)" = 0 ] || die "must run as root (QEMU's 9p passthrough must read every host file as its owner)"

# --- host prerequisites -------------------------------------------------------------------------

mkdir -p "$QKVM_CACHE"
# Two runs starting at once must not both install packages, download the kernel or write the
# same initramfs; the lock is let go before booting.
exec 9> "$QKVM_CACHE/.lock"
flock -w "$QKVM_SETUP_LOCK_WAIT_S" 9 || die "another run.sh held $QKVM_CACHE/.lock for ${QKVM_SETUP_LOCK_WAIT_S}s"

APT_LOG=$QKVM_CACHE/apt.log
# Other users of the machine may hold apt's locks for a while: wait for them, and retry a few
# times before calling the mirror unreachable. The reason quoted is apt's own last error line.
apt_run() {
  local try
  for try in 1 2 3; do
    if DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=120 "$@" > "$APT_LOG" 2>&1; then return 0; fi
    sleep $((try * 5))
  done
  return 1
}
apt_error() { local e; e=$(grep '^E:' "$APT_LOG" | tail -1 || true); echo "${e:-$(tail -1 "$APT_LOG")}"; }
APT_UPDATED=0
apt_update_once() {
  [ "$APT_UPDATED" = 1 ] && return 0
  log "apt-get update"
  apt_run update || die "apt-get update failed: $(apt_error)"
  APT_UPDATED=1
}
apt_install() {
  command -v apt-get >/dev/null || die "'$*' missing and apt-get is not available to install it"
  apt_update_once
  log "apt-get install $*"
  apt_run install -y --no-install-recommends "$@" || die "apt-get install $* failed: $(apt_error)"
}

command -v qemu-system-x86_64 >/dev/null || apt_install qemu-system-x86
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 still missing after installing qemu-system-x86"
# Only a static busybox works in an initramfs that has no libc.
busybox_is_static() { [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; }
busybox_is_static || apt_install busybox-static
busybox_is_static || die "/bin/busybox is not a static binary even after installing busybox-static"

# The kernel is unpacked into the cache instead of installed, so the host's boot setup is untouched.
KDIR=$(find "$QKVM_CACHE/kernel" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | sort | tail -1 || true)
if [ -z "$KDIR" ] || [ ! -f "$KDIR/.complete" ]; then
  command -v apt-get >/dev/null || die "no cached guest kernel and apt-get is not available to download one"
  resolve_kernel_pkg() { apt-cache depends "$QKVM_KERNEL_META_PKG" 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}'; }
  PKG=$(resolve_kernel_pkg || true)
  if [ -z "$PKG" ]; then
    apt_update_once
    PKG=$(resolve_kernel_pkg || true)
  fi
  [ -n "$PKG" ] || die "cannot resolve $QKVM_KERNEL_META_PKG to a kernel package (apt-cache depends found none)"
  log "downloading guest kernel $PKG"
  rm -rf "$QKVM_CACHE/debs" "$QKVM_CACHE/kernel/$PKG"
  mkdir -p "$QKVM_CACHE/debs" "$QKVM_CACHE/kernel/$PKG"
  # apt drops privileges to _apt for downloads; a root-owned cache dir makes it warn, not fail.
  (cd "$QKVM_CACHE/debs" && apt_run download "$PKG") || die "apt-get download $PKG failed: $(apt_error)"
  dpkg-deb -x "$QKVM_CACHE"/debs/"$PKG"_*.deb "$QKVM_CACHE/kernel/$PKG" || die "dpkg-deb -x of $PKG failed"
  rm -rf "$QKVM_CACHE/debs"
  touch "$QKVM_CACHE/kernel/$PKG/.complete"
  KDIR=$QKVM_CACHE/kernel/$PKG
fi
VMLINUZ=$(find "$KDIR/boot" -name 'vmlinuz-*' | head -1)
MODROOT=$(find "$KDIR/lib/modules" -mindepth 1 -maxdepth 1 -type d | head -1)
[ -n "$VMLINUZ" ] && [ -n "$MODROOT" ] || die "cached kernel in $KDIR is incomplete (no vmlinuz or modules): delete $QKVM_CACHE and retry"

# --- initramfs ----------------------------------------------------------------------------------

# Modules in load order: every module after the ones it depends on. The dependency list is read
# from each .ko's .modinfo section, because the unpacked package has no modules.dep (depmod runs
# at install time) and kmod may not be installed on the host.
declare -A KO_PATH=() KO_SEEN=()
KO_ORDER=()
add_module() {
  local name=${1//-/_} dep deps
  [ -n "${KO_SEEN[$name]:-}" ] && return 0
  KO_SEEN[$name]=1
  [ -n "${KO_PATH[$name]:-}" ] || die "kernel $(basename "$MODROOT") has no module $name"
  deps=$(tr '\0' '\n' < "${KO_PATH[$name]}" | sed -n 's/^depends=//p' | head -1)
  for dep in ${deps//,/ }; do add_module "$dep"; done
  KO_ORDER+=("$name")
}
resolve_modules() {
  local ko name m
  while IFS= read -r ko; do
    name=${ko##*/}; name=${name%.ko}; KO_PATH[${name//-/_}]=$ko
  done < <(find "$MODROOT/kernel" -name '*.ko')
  for m in $QKVM_MODULES; do add_module "$m"; done
}

# The image depends only on these inputs, so the slow module scan runs only when one changed.
INIT_HASH=$( { cat "$HERE/init.sh" "$HERE/run.sh" "$HERE/layout.sh"; echo "$KDIR"; sha256sum /bin/busybox; } | sha256sum | cut -c1-16)
INITRD=$QKVM_CACHE/initramfs-$(basename "$MODROOT")-$INIT_HASH.cpio.gz
if [ ! -f "$INITRD" ]; then
  resolve_modules
  log "building $INITRD"
  STAGE=$(mktemp -d "$QKVM_CACHE/stage.XXXXXX")
  mkdir -p "$STAGE"/{bin,dev,proc,sys,ctl,lower,upper,newroot,modules}
  cp /bin/busybox "$STAGE/bin/busybox"
  chmod 755 "$STAGE"
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$STAGE/bin/$applet"
  done
  cp "$HERE/init.sh" "$STAGE/init"; chmod 755 "$STAGE/init"
  : > "$STAGE/modules/order"
  for name in "${KO_ORDER[@]}"; do
    cp "${KO_PATH[$name]}" "$STAGE/modules/$name.ko"; echo "$name" >> "$STAGE/modules/order"
  done
  (cd "$STAGE" && find . | /bin/busybox cpio -o -H newc 2>/dev/null | gzip -1 > "$INITRD.tmp") \
    || die "building the initramfs failed"
  mv "$INITRD.tmp" "$INITRD"
  rm -rf "$STAGE"
  # Older initramfs images are dead weight once the init script or kernel changed.
  find "$QKVM_CACHE" -maxdepth 1 -name 'initramfs-*.cpio.gz' ! -path "$INITRD" -delete
fi

exec 9>&-

# Two TCG VMs on a 2-core machine only slow each other down (and blow each other's timeouts):
# one VM at a time per machine, whichever checkout started it. The wait is not part of --timeout.
exec 8> "$QKVM_VM_LOCK"
if ! flock -n 8; then
  log "waiting up to ${TIMEOUT}s for another qemu-kvm VM to finish"
  flock -w "$TIMEOUT" 8 || die "another qemu-kvm VM was still running after waiting ${TIMEOUT}s (lock $QKVM_VM_LOCK)"
fi

# --- per-run control directory ------------------------------------------------------------------

CTL=$(mktemp -d /tmp/qemu-kvm-ctl.XXXXXX)
QEMU_PID=
RELAY_PIDS=()
cleanup() {
  for p in "${RELAY_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$QEMU_PID" ] && kill -0 "$QEMU_PID" 2>/dev/null; then kill -KILL "$QEMU_PID" 2>/dev/null || true; fi
  rm -rf "$CTL"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

CWD=$(pwd -P)
# The command runs under the host's own bash inside the chroot, so %q quoting round-trips exactly.
{
  echo "# generated by run.sh"
  # Carry the caller's environment over (JAVA_HOME, PATH, ...), minus what describes this shell.
  export -p | grep -vE '^declare -x (PWD|OLDPWD|SHLVL|_|TERM_PROGRAM[A-Z_]*)(=|$)'
  printf 'cd -- %q || { echo "run.sh (in VM): cannot cd to %q" >&2; exit 2; }\n' "$CWD" "$CWD"
  printf 'exec'; printf ' %q' "$@"; printf ' </dev/null\n'
} > "$CTL/cmd.sh"

VIRTFS=(-virtfs "local,path=/,mount_tag=$QKVM_TAG_ROOT,security_model=none,readonly=on,multidevs=remap"
        -virtfs "local,path=$CTL,mount_tag=$QKVM_TAG_CTL,security_model=none")
: > "$CTL/mounts"
[ "$CWD_RW" = 1 ] && RW_DIRS=("$CWD" "${RW_DIRS[@]}")
i=0
for d in "${RW_DIRS[@]}"; do
  [ -d "$d" ] || die "--rw $d is not a directory"
  real=$(cd "$d" && pwd -P)
  [ "$real" != / ] || die "refusing to share / writable (run from a project directory, or pass --no-cwd-rw)"
  [[ "$real" != *,* ]] || die "QEMU cannot share a path with a comma in it: $real"
  VIRTFS+=(-virtfs "local,path=$real,mount_tag=$QKVM_TAG_RW_PREFIX$i,security_model=none,multidevs=remap")
  printf '%s%d %s\n' "$QKVM_TAG_RW_PREFIX" "$i" "$real" >> "$CTL/mounts"
  i=$((i + 1))
done

# --- boot ---------------------------------------------------------------------------------------

APPEND="console=ttyS0 loglevel=4 panic=-1 mitigations=off rdinit=/init cryptomgr.notests edd=off"
[ "$VERBOSE" = 1 ] && APPEND="$APPEND loglevel=6 qkvm.verbose=1"
if [ -n "$QKVM_KVM_PARAMS" ]; then
  [[ "$QKVM_KVM_PARAMS" =~ ^[a-z_]+=[A-Za-z0-9_]+(,[a-z_]+=[A-Za-z0-9_]+)*$ ]] \
    || die "QKVM_KVM_PARAMS must be name=value pairs separated by commas, got '$QKVM_KVM_PARAMS'"
  APPEND="$APPEND qkvm.kvm_params=$QKVM_KVM_PARAMS"
fi
# The command's stdout and stderr travel on two virtio-serial ports (plain byte pipes, no tty
# line discipline), so firmware and kernel chatter on the serial console never mixes into them.
# QEMU writes them into FIFOs that cat relays to our stdout/stderr: letting QEMU reopen
# /proc/self/fd/1 instead would give it a separate file offset, and a caller that redirected us
# into a file with '>' would then overwrite our output with its own next writes.
# We hold a write end of each FIFO ourselves (fds 5-7, kept from the children) so no open()
# blocks and the relays reach EOF exactly when we let go after QEMU is gone, even if QEMU never
# got as far as opening them.
mkfifo "$CTL/stdout" "$CTL/stderr" "$CTL/console"
exec 5<>"$CTL/stdout" 6<>"$CTL/stderr" 7<>"$CTL/console"
cat "$CTL/stdout" 5>&- 6>&- 7>&- 8>&- &
RELAY_PIDS=($!)
cat "$CTL/stderr" >&2 5>&- 6>&- 7>&- 8>&- &
RELAY_PIDS+=($!)
if [ "$VERBOSE" = 1 ]; then cat "$CTL/console" >&2 5>&- 6>&- 7>&- 8>&- &
else cat "$CTL/console" > "$CTL/console.log" 5>&- 6>&- 7>&- 8>&- &
fi
RELAY_PIDS+=($!)
log "booting $(basename "$VMLINUZ") with -cpu $CPU_MODEL, $CPUS vCPU(s) (TCG thread=$QKVM_TCG_THREAD${QKVM_KVM_PARAMS:+, KVM module $QKVM_KVM_PARAMS}), $MEM MiB, timeout ${TIMEOUT}s"
T0=$(date +%s.%N)
# qboot instead of SeaBIOS: it only has to jump into the -kernel image, and does so faster.
qemu-system-x86_64 -accel "tcg,thread=$QKVM_TCG_THREAD" -cpu "$CPU_MODEL" -smp "$CPUS" -m "$MEM" \
  -nodefaults -nographic -monitor none -no-reboot -bios qboot.rom \
  -chardev file,id=console,path="$CTL/console" -serial chardev:console \
  -chardev file,id=out,path="$CTL/stdout" \
  -chardev file,id=err,path="$CTL/stderr" \
  -device virtio-serial-pci \
  -device "virtserialport,chardev=out,name=$QKVM_PORT_STDOUT" \
  -device "virtserialport,chardev=err,name=$QKVM_PORT_STDERR" \
  -kernel "$VMLINUZ" -initrd "$INITRD" -append "$APPEND" \
  "${VIRTFS[@]}" < /dev/null 2> "$CTL/qemu.err" 5>&- 6>&- 7>&- 8>&- &
QEMU_PID=$!
# Kills the VM and ends with status $1 after the reason $2; the VM's kernel may have said why (RCU stalls,
# soft lockups, hung tasks): its last console lines follow.
kill_vm() {
  kill -KILL "$QEMU_PID" 2>/dev/null || true
  wait "$QEMU_PID" 2>/dev/null || true
  QEMU_PID=
  exec 5>&- 6>&- 7>&-
  for p in "${RELAY_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  RELAY_PIDS=()
  echo "run.sh: $2" >&2
  if grep -aqv '^\s*$' "$CTL/console.log" 2>/dev/null; then
    echo "run.sh: the VM's kernel console, last lines:" >&2
    grep -av '^\s*$' "$CTL/console.log" | tail -n 25 | tr -d '\r' | sed 's/^/run.sh:   /' >&2
  fi
  exit "$1"
}
# Bounded wait: poll so the timeout also covers a guest that hangs without printing anything.
deadline=$(( $(date +%s) + TIMEOUT ))
while kill -0 "$QEMU_PID" 2>/dev/null; do
  now=$(date +%s)
  if [ "$now" -ge "$deadline" ]; then
    kill_vm 124 "timed out after ${TIMEOUT}s; QEMU killed"
  fi
  # A frozen VM (both emulated CPUs busy, nothing in it scheduled any more, not even a shell loop) is a fault
  # of the emulation, not a result of the command: said apart from a timeout so that a caller may retry.
  if [ -n "$STALL_FILE" ] && [ -e "$STALL_FILE" ] && [ $(( now - $(stat -c %Y "$STALL_FILE" 2>/dev/null || echo "$now") )) -ge "$STALL_S" ]; then
    kill_vm 125 "the VM froze: $STALL_FILE untouched for ${STALL_S}s (nothing inside it runs any more); QEMU killed"
  fi
  sleep 0.2
done
set +e; wait "$QEMU_PID"; QEMU_RC=$?; set -e
QEMU_PID=
# The relays end at EOF, once QEMU and we have closed the FIFOs; wait so no output trails our exit.
exec 5>&- 6>&- 7>&-
for p in "${RELAY_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
RELAY_PIDS=()
T1=$(date +%s.%N)

if [ -s "$CTL/error" ]; then
  die "$(head -1 "$CTL/error")"
fi
if [ ! -f "$CTL/status" ]; then
  # QEMU prints warnings (e.g. CPU features TCG lacks) before its real error: prefer the latter. Exit 0 with
  # nothing but warnings is not QEMU failing: with -no-reboot it is the VM resetting itself (its kernel crashed,
  # as L1 kernels have in __svm_vcpu_run under a nested Linux guest), a VM fault like a freeze (125 below). Read
  # as an error, it would make CI pass with "the harness could not run here".
  err=$(grep -v -e '^$' -e 'warning:' "$CTL/qemu.err" | head -1 || true)
  if [ -z "$err" ] && [ "$QEMU_RC" != 0 ]; then err=$(grep -v '^$' "$CTL/qemu.err" | head -1 || true); fi
  [ -n "$err" ] && die "QEMU failed (exit $QEMU_RC): $err"
  last=$(grep -av '^$' "$CTL/console.log" 2>/dev/null | tail -1 | tr -d '\r' || true)
  # The VM ran and then went away mid-command (QEMU killed or crashed): a VM fault, like a freeze, not a
  # harness that cannot work here (2), which would let CI pass with a warning.
  echo "run.sh: VM stopped (QEMU exit $QEMU_RC) before the command reported a status; last console line: ${last:-none} (rerun with -v for the whole log)" >&2
  exit 125
fi
if [ "$VERBOSE" = 1 ]; then
  grep -v '^$' "$CTL/qemu.err" | sed 's/^/run.sh: /' >&2 || true
fi
if [ "$VERBOSE" = 1 ] && [ -f "$CTL/timings" ]; then
  # Guest uptimes in seconds: when the command started and when it ended.
  read -r start end < "$CTL/timings" || true
  echo "run.sh: VM ran $(awk -v a="$T0" -v b="$T1" 'BEGIN{printf "%.1f", b-a}') s (host wall clock); guest uptime at command start ${start} s, at end ${end} s" >&2
fi
exit "$(cat "$CTL/status")"
