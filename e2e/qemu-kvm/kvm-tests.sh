#!/usr/bin/env bash
# Runs the engine's KVM integration tests (*IT) on real KVM inside the nested-KVM QEMU VM.
# Needs a prior build (./mvnw -pl engine verify or test-compile). Exit status: the suite's.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
engine="$root/engine/target"
[ -f "$engine/test-classpath.txt" ] && [ -d "$engine/test-classes" ] \
  || { echo "kvm-tests: build the engine's tests first (./mvnw -B -pl engine verify)" >&2; exit 2; }
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
timeout="${KVM_TESTS_TIMEOUT:-1500}"
# Inside the VM a watchdog ends a frozen suite with every task's kernel stack, before the host's timeout
# kills the VM and with it every clue; the margin covers the VM's boot.
limit=$(( timeout > 400 ? timeout - 180 : timeout * 2 / 3 ))
cd "$root"
exec "$root/e2e/qemu-kvm/run.sh" --timeout "$timeout" -- "$root/e2e/qemu-kvm/watch.sh" "$limit" -- \
  env GIANTVM_REQUIRE_KVM=1 "$java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
  -cp "$engine/test-classes:$engine/classes:$(cat "$engine/test-classpath.txt")" \
  io.giantvm.engine.vm.KvmSuite "$@"
