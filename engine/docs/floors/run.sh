#!/usr/bin/env bash
# Cross-checks in C of the floors `giantvm bench dsm-latency` holds the DSM to (README, "DSM performance"): how a
# round trip to another core grows with the time that core was left idle, and a remote fault's floor measured
# whole against the sum of its parts. Needs gcc and two CPUs; prints one line per figure. Not part of CI.
#   engine/docs/floors/run.sh [ASK_CPU ANSWER_CPU]     (default 0 1; give 0 0 for one shared core)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ask="${1:-0}"
answer="${2:-1}"
command -v gcc >/dev/null || { echo "floors: gcc is needed" >&2; exit 2; }
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
gcc -O2 -Wall -o "$out/idle-wake" "$here/idle-wake.c"
gcc -O2 -Wall -pthread -o "$out/remote-fault-floor" "$here/remote-fault-floor.c"
"$out/idle-wake" "$ask" "$answer" 0 10 30 50 100
"$out/remote-fault-floor" "$ask" "$answer"
