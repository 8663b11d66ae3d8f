#!/bin/busybox sh
# /init of GiantVM's default Linux guest (built by build-guest.sh, contract in README "Linux guest").
# Reads its orders from the kernel command line:
#   giantvm.sysbench=cpu,memory,mutex,threads   tests to run, in order (empty: none); besides sysbench's own
#                                               four, the TURC'19 paper's memory tests: memory-read-global and
#                                               memory-write-local (4 KiB blocks, no size limit: --time ends them)
#   giantvm.time=S                              --time of each test
#   giantvm.shell=1                             an interactive shell on the console instead
# and prints machine-readable lines, each starting with "@@GIANTVM ", that the engine parses:
#   @@GIANTVM init uptime=<s> nproc=<n> kernel=<release>
#   @@GIANTVM numa node=<n> cpus=<cpulist> mem_kb=<MemTotal> distance=<d0,d1,..>   one per node in /sys/devices/system/node
#   @@GIANTVM sysbench test=<t> threads=<n> events=<n> time_s=<s> events_per_s=<x> lat_min_ms=.. lat_avg_ms=.. lat_max_ms=.. lat_p95_ms=..
#   @@GIANTVM done status=<0|1>
# then powers off (ACPI soft-off: the engine ends the run cleanly; the status is the "done" line's).
# Report lines go through /dev/kmsg, so the kernel prints them on the console itself (polled, in order with its
# own messages) whatever state the tty is in; sysbench's own output goes to the tty as usual.
/bin/busybox mkdir -p /proc /sys /dev /tmp
/bin/busybox mount -t proc proc /proc
UPTIME=$(/bin/busybox cut -d' ' -f1 /proc/uptime)
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null

arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^giantvm\.$1=//p" | tail -1; }
TESTS=$(arg sysbench | tr ',' ' ')
TIME=$(arg time); TIME=${TIME:-5}
SHELL_MODE=$(arg shell)
NPROC=$(nproc)
report() { echo "@@GIANTVM $*" > /dev/kmsg; }
report "init uptime=$UPTIME nproc=$NPROC kernel=$(uname -r)"
# The NUMA nodes Linux made from the ACPI SRAT (one per engine node; a flat VM has node 0 only).
for d in /sys/devices/system/node/node[0-9]*; do
  [ -d "$d" ] || continue
  report "numa node=${d##*/node} cpus=$(cat "$d/cpulist") mem_kb=$(sed -n 's/.*MemTotal: *\([0-9]*\) kB.*/\1/p' "$d/meminfo") distance=$(tr ' ' ',' < "$d/distance")"
done

finish() {
  report "done status=$1"
  poweroff -f
}

if [ "$SHELL_MODE" = 1 ]; then
  report "shell"
  # The engine types --shell's input only once this prompt appears (DefaultLinuxGuest.SHELL_PROMPT).
  PS1='giantvm# ' setsid cttyhack sh
  finish 0
fi

status=0
for t in $TESTS; do
  # One arm per test, each on one line: SysbenchTestsAgreeWithInitTest reads them back against the engine's list.
  case "$t" in
    cpu|memory|mutex|threads) set -- "$t" ;;
    memory-read-global) set -- memory --memory-block-size=4K --memory-total-size=0 --memory-oper=read --memory-scope=global ;;
    memory-write-local) set -- memory --memory-block-size=4K --memory-total-size=0 --memory-oper=write --memory-scope=local ;;
    *) report "error unknown sysbench test '$t'"; status=1; continue ;;
  esac
  if ! sysbench "$@" --threads="$NPROC" --time="$TIME" run > /tmp/out 2>&1; then
    report "error sysbench $t failed: $(tail -3 /tmp/out | tr '\n' ' ')"; status=1; continue
  fi
  awk -v t="$t" -v n="$NPROC" '
    /total time:/ { v = $3; sub(/s$/, "", v); time = v }
    /total number of events:/ { events = $5 }
    $1 == "min:" { min = $2 } $1 == "avg:" { avg = $2 } $1 == "max:" { max = $2 }
    /95th percentile:/ { p95 = $3 }
    END {
      eps = time > 0 ? events / time : 0
      printf "sysbench test=%s threads=%s events=%s time_s=%s events_per_s=%.2f lat_min_ms=%s lat_avg_ms=%s lat_max_ms=%s lat_p95_ms=%s\n", t, n, events, time, eps, min, avg, max, p95
    }' /tmp/out | { read -r line; report "$line"; }
  cat /tmp/out
done
finish $status
