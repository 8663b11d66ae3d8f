#!/usr/bin/env bash
# The local product path (e2e-local): the operator's reconciler against the mock API server, the StatefulSet
# controller double and a process kubelet running real `giantvm node --stay-up` processes on this host's KVM,
# one network namespace per Kubernetes node. Prints the figures and ends with `e2e-local: N passed, N failed`.
# Needs root (network namespaces) and /dev/kvm; skips and says why otherwise (GIANTVM_REQUIRE_KVM=1: fails).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
cd "$root"
log="$(mktemp -t e2e-local.XXXXXX.log)"
status=0
./mvnw -B -pl operator -am verify -DskipTests=false -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=LocalProductPathIT >"$log" 2>&1 || status=$?
grep -E '^e2e-local: ' "$log" | grep -v ' passed, ' || true
summary="$(grep -E '^e2e-local: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1 || true)"
if [ -z "$summary" ]; then
  tail -n 60 "$log"
  echo "e2e-local: 0 passed, 1 failed"
  exit 1
fi
[ "$status" -eq 0 ] || grep -E 'FAIL|Expecting|expected' "$log" | head -40
echo "$summary"
exit "$status"
