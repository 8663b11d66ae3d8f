#!/usr/bin/env bash
# End-to-end check of the qemu-kvm harness in one VM boot: C KVM guests (real mode, long mode,
# OUT exits, 2 vCPUs), userfaultfd (plain and under KVM), JDK 25 start-up, and Java FFM on /dev/kvm.
# Prints a "name: OK ..." line per check and "N passed, N failed"; exits 0 only if all passed.
#
# Usage: smoke.sh [run.sh options]     (on the host: compiles, then boots the VM)
#        smoke.sh --inside             (what runs inside the VM)
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JDK=${JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA=$JDK/bin/java
# Compiled on the host: javac inside the emulated VM takes minutes (the source launcher ~110 s).
CLASSES=$HERE/.cache/classes

if [ "${1:-}" != --inside ]; then
  command -v gcc >/dev/null || { echo "smoke.sh: gcc is needed to build the C smoke tests" >&2; exit 2; }
  for prog in kvm-smoke uffd-smoke; do
    gcc -static -O2 -Wall -Wextra -pthread -o "$HERE/$prog" "$HERE/$prog.c" \
      || { echo "smoke.sh: compiling $prog.c failed" >&2; exit 2; }
  done
  if [ -x "$JDK/bin/javac" ]; then
    "$JDK/bin/javac" -d "$CLASSES" "$HERE/KvmSmoke.java" || { echo "smoke.sh: compiling KvmSmoke.java failed" >&2; exit 2; }
  fi
  cd "$HERE" && exec "$HERE/run.sh" "$@" -- "$HERE/smoke.sh" --inside
fi

passed=0 failed=0
# Runs one check, shows its output, and records how long it took (guest wall clock).
check() {
  local name=$1; shift
  local t0 t1 rc
  t0=$(date +%s.%N)
  "$@"; rc=$?
  t1=$(date +%s.%N)
  local secs; secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
  if [ "$rc" = 0 ]; then passed=$((passed + 1)); echo "== $name: passed in ${secs}s"
  else failed=$((failed + 1)); echo "== $name: FAILED (exit $rc) after ${secs}s"; fi
}

check "kvm-smoke (C)" "$HERE/kvm-smoke"
check "uffd-smoke (C)" "$HERE/uffd-smoke"
if [ -x "$JAVA" ] && [ -f "$CLASSES/KvmSmoke.class" ]; then
  check "java -version (first, cold 9p cache)" "$JAVA" -version
  check "java -version (second)" "$JAVA" -version
  check "KvmSmoke (Java FFM ioctl on /dev/kvm)" "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$CLASSES" KvmSmoke
else
  echo "== java checks skipped: no JDK 25 at $JDK"
fi
echo "smoke: $passed passed, $failed failed"
[ "$failed" = 0 ]
