#!/bin/sh
# PID 1 of the qemu-kvm harness VM (busybox sh). Loads KVM, rebuilds the host's view of the
# filesystem from 9p shares, runs the command from /ctl/cmd.sh and reports its exit status.
# Everything it tells the host goes through the control share: /ctl/status (the command's exit
# status), /ctl/error (one line, when the harness itself failed), /ctl/timings (guest uptimes).
export PATH=/bin
TAG_ROOT=hostroot
TAG_CTL=qkvmctl
MSIZE=524288          # bytes per 9p message; the default 8 KiB makes reading the JDK crawl
PORT_STDOUT=qkvm.stdout
PORT_STDERR=qkvm.stderr
MARKER=QEMU-KVM-EXIT  # "@@$MARKER <status>@@" on the console, for whoever only has the console log

mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
# The serial line would turn every \n into \r\n in the console log (-v shows it).
stty -onlcr < /dev/console 2>/dev/null
VERBOSE=0; grep -q 'qkvm.verbose=1' /proc/cmdline && VERBOSE=1
say() { [ "$VERBOSE" = 1 ] && echo "init: $*"; }

CTL_OK=0
fail() {
  echo "run.sh (in VM): $*" >&2
  [ "$CTL_OK" = 1 ] && { echo "$*" > /ctl/error; sync; }
  poweroff -f
  # poweroff is a separate busybox process; if even that cannot run, PID 1 exiting panics the
  # kernel, and panic=-1 with QEMU's -no-reboot ends the VM all the same.
  exit 1
}

# The 9p modules come first: without the control share no error could reach the host.
KVM_MODULE=
if grep -qw svm /proc/cpuinfo; then KVM_MODULE=kvm_amd
elif grep -qw vmx /proc/cpuinfo; then KVM_MODULE=kvm_intel
fi
while read -r m; do
  case "$m" in kvm|kvm_amd|kvm_intel|irqbypass|ccp) continue ;; esac
  out=$(insmod "/modules/$m.ko" 2>&1) || fail "insmod $m failed: $out"
done < /modules/order
mount -t 9p -o trans=virtio,version=9p2000.L,msize=$MSIZE,cache=none "$TAG_CTL" /ctl \
  || fail "cannot mount the control share (9p tag $TAG_CTL)"
CTL_OK=1

[ -n "$KVM_MODULE" ] || fail "the emulated CPU has neither svm nor vmx in /proc/cpuinfo: pick a -cpu with +svm"
while read -r m; do
  case "$m" in
    irqbypass|kvm) ;;
    ccp|kvm_amd) [ "$KVM_MODULE" = kvm_amd ] || continue ;;
    kvm_intel) [ "$KVM_MODULE" = kvm_intel ] || continue ;;
    *) continue ;;
  esac
  # QKVM_KVM_PARAMS (run.sh) reaches the vendor module through the kernel command line: busybox insmod does
  # not read module parameters from there itself.
  params=
  [ "$m" = "$KVM_MODULE" ] && params=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^qkvm\.kvm_params=//p' | tr ',' ' ')
  # shellcheck disable=SC2086 # one word per parameter
  out=$(insmod "/modules/$m.ko" $params 2>&1) \
    || fail "insmod $m failed: $out; kernel says: $(dmesg | grep -iE 'kvm|svm|vmx' | tail -1)"
done < /modules/order
[ -c /dev/kvm ] || fail "$KVM_MODULE loaded but /dev/kvm did not appear; kernel says: $(dmesg | grep -i kvm | tail -1)"
say "$KVM_MODULE loaded, /dev/kvm present$(grep -q 'qkvm.kvm_params=' /proc/cmdline && echo " (parameters: $(tr ' ' '\n' < /proc/cmdline | sed -n 's/^qkvm\.kvm_params=//p'))")"

# Host root, read-only, cached: the host is not expected to change files the command reads.
mount -t 9p -o trans=virtio,version=9p2000.L,msize=$MSIZE,cache=loose,ro "$TAG_ROOT" /lower \
  || fail "cannot mount the host root (9p tag $TAG_ROOT)"
mount -t tmpfs -o mode=755 upper /upper
mkdir -p /upper/data /upper/work
# The overlay makes every host path writable; such writes live in guest RAM and vanish at poweroff.
mount -t overlay -o lowerdir=/lower,upperdir=/upper/data,workdir=/upper/work overlay /newroot \
  || fail "cannot overlay a RAM layer over the host root: $(dmesg | grep -i overlay | tail -1)"
while read -r tag path; do
  [ -n "$tag" ] || continue
  mkdir -p "/newroot$path"
  mount -t 9p -o trans=virtio,version=9p2000.L,msize=$MSIZE,cache=mmap "$tag" "/newroot$path" \
    || fail "cannot mount writable share $path (9p tag $tag)"
done < /ctl/mounts
mount -t proc proc /newroot/proc
mount -t sysfs sys /newroot/sys
mount -t devtmpfs dev /newroot/dev
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts devpts /newroot/dev/pts
mount -t tmpfs shm /newroot/dev/shm
cp /ctl/cmd.sh /newroot/tmp/.qemu-kvm-cmd.sh
[ -x /newroot/bin/bash ] || fail "host has no /bin/bash to run the command with"

port_dev() {
  for p in /sys/class/virtio-ports/*; do
    [ "$(cat "$p/name" 2>/dev/null)" = "$1" ] && { echo "/dev/${p##*/}"; return 0; }
  done
  return 1
}
OUT=$(port_dev "$PORT_STDOUT") || fail "no virtio-serial port named $PORT_STDOUT"
ERR=$(port_dev "$PORT_STDERR") || fail "no virtio-serial port named $PORT_STDERR"

# A machine has a loopback interface that is up; multi-node runs talk over 127.0.0.1.
chroot /newroot /bin/sh -c 'PATH=/usr/sbin:/sbin:/usr/bin:/bin ip link set lo up' \
  || echo "init: warning: could not bring the loopback interface up (no iproute2 on the host?)" >&2

START=$(cut -d' ' -f1 /proc/uptime)
say "starting command at uptime ${START}s"
chroot /newroot /bin/bash /tmp/.qemu-kvm-cmd.sh > "$OUT" 2> "$ERR"
STATUS=$?
END=$(cut -d' ' -f1 /proc/uptime)
echo "$START $END" > /ctl/timings
echo "$STATUS" > /ctl/status
echo "@@$MARKER $STATUS@@" > /dev/console
sync
poweroff -f
