package io.giantvm.engine.vm;

import io.giantvm.engine.kvm.Kvm;
import io.giantvm.engine.kvm.KvmUnavailableException;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Gate for tests that need a working /dev/kvm: they skip, saying why, where KVM is unusable,
 * unless GIANTVM_REQUIRE_KVM=1 (as CI sets on KVM hosts), where they fail instead so that a
 * broken KVM can never pass as "all skipped".
 */
public final class KvmRequirement {
    private KvmRequirement() {}

    public static void assumeKvm() {
        String reason;
        try (Kvm kvm = Kvm.open()) {
            return;
        } catch (KvmUnavailableException e) {
            reason = e.getMessage();
        }
        if ("1".equals(System.getenv("GIANTVM_REQUIRE_KVM"))) {
            Assertions.fail("KVM is required (GIANTVM_REQUIRE_KVM=1) but unusable: " + reason);
        }
        Assumptions.abort("skipped: needs a usable /dev/kvm (" + reason + "); e2e/qemu-kvm/run.sh runs these on such hosts");
    }
}
