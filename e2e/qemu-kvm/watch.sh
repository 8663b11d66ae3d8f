#!/usr/bin/env bash
# Runs a command inside the harness VM under a watchdog that does not depend on the command itself.
#
# The JVM's own hang watchdog (KvmSuite) cannot report when the whole JVM is frozen, for example at a
# safepoint that a stuck thread never reaches. This script can: it is a separate process, and it reads the
# kernel's view of every task (state, wait channel, kernel stack) from /proc, which needs nothing from the
# stuck process. Its heartbeat also shows whether the VM itself is alive and how far its clock has got,
# which the host's outer timeout (run.sh --timeout) alone cannot tell apart.
#
# Usage: [WATCH_ALIVE_FILE=F] watch.sh LIMIT_S -- CMD ARGS...
# With WATCH_ALIVE_FILE it touches F every few seconds, so that the host (run.sh --stall-file) can tell a
# frozen VM from a slow command.
# Exit status: CMD's own; 124 when CMD was still running after LIMIT_S seconds (it is then killed).
set -uo pipefail

HEARTBEAT_S=${WATCH_HEARTBEAT_S:-120}
ALIVE_FILE=${WATCH_ALIVE_FILE:-}
ALIVE_EVERY_S=5
GRACE_S=10   # for a JVM to write its SIGQUIT thread dump

die() { echo "watch.sh: $*" >&2; exit 2; }
[ $# -ge 3 ] && [ "$2" = "--" ] || die "usage: watch.sh LIMIT_S -- CMD ARGS..."
LIMIT=$1
shift 2
[[ "$LIMIT" =~ ^[1-9][0-9]*$ ]] || die "LIMIT_S must be a positive whole number of seconds, got '$LIMIT'"

"$@" &
CMD_PID=$!
WHAT="'$(echo "$*" | cut -c1-100)'"
trap 'kill -TERM "$CMD_PID" 2>/dev/null' TERM INT

# The command and every process it started, parents first.
tree() {
  local pids=("$1") i=0 child
  while [ "$i" -lt "${#pids[@]}" ]; do
    for child in $(cat /proc/"${pids[$i]}"/task/*/children 2>/dev/null); do pids+=("$child"); done
    i=$((i + 1))
  done
  echo "${pids[@]}"
}

report_tasks() {
  local pid task
  for pid in $(tree "$CMD_PID"); do
    echo "watch.sh: process $pid: $(tr '\0' ' ' < /proc/"$pid"/cmdline 2>/dev/null | cut -c1-160)"
    for task in /proc/"$pid"/task/*; do
      echo "watch.sh:   task ${task##*/} ($(cat "$task"/comm 2>/dev/null)) $(grep '^State:' "$task"/status 2>/dev/null | cut -f2) wchan=$(cat "$task"/wchan 2>/dev/null)"
      sed 's/^/watch.sh:       /' "$task"/stack 2>/dev/null
    done
  done
}

START=$(date +%s)
next_beat=$((START + HEARTBEAT_S))
next_alive=$START
while kill -0 "$CMD_PID" 2>/dev/null; do
  now=$(date +%s)
  if [ -n "$ALIVE_FILE" ] && [ "$now" -ge "$next_alive" ]; then
    touch "$ALIVE_FILE" 2>/dev/null
    next_alive=$((now + ALIVE_EVERY_S))
  fi
  if [ "$now" -ge $((START + LIMIT)) ]; then
    echo "watch.sh: $WHAT still running after ${LIMIT} s (VM clock); every task of it, as the kernel sees it:" >&2
    report_tasks >&2
    # What each CPU is executing right now (a vCPU stuck inside KVM_RUN shows here); needs root, as in the VM.
    seen=$(dmesg 2>/dev/null | wc -l)
    if echo l > /proc/sysrq-trigger 2>/dev/null; then
      sleep 2
      echo "watch.sh: every CPU's backtrace (sysrq l):" >&2
      dmesg | tail -n +$((seen + 1)) | head -n 200 | sed 's/^/watch.sh:   /' >&2
    fi
    echo "watch.sh: asking every JVM among them for a thread dump (SIGQUIT), then killing them" >&2
    pids=$(tree "$CMD_PID")
    for pid in $pids; do
      case "$(cat /proc/"$pid"/comm 2>/dev/null)" in java) kill -QUIT "$pid" 2>/dev/null ;; esac
    done
    sleep "$GRACE_S"
    kill -KILL $pids 2>/dev/null
    wait "$CMD_PID" 2>/dev/null
    exit 124
  fi
  if [ "$now" -ge "$next_beat" ]; then
    echo "watch.sh: $WHAT running for $((now - START)) s (VM clock; VM uptime $(cut -d' ' -f1 /proc/uptime) s)" >&2
    next_beat=$((next_beat + HEARTBEAT_S))
  fi
  sleep 1
done
wait "$CMD_PID"
