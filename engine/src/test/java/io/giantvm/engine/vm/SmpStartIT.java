package io.giantvm.engine.vm;

import io.giantvm.engine.cli.RunResults;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three vCPUs, so application processors are started one after the other through INIT and
 * STARTUP IPIs. Kept out of the CI's nested-KVM set: on the 2-vCPU nested VM it failed once in
 * five runs (the guest printed nothing after its workload line; cause not found yet), and the
 * failure message now says how the run ended. Run it with
 * {@code e2e/qemu-kvm/kvm-tests.sh '.*SmpStartIT'}.
 */
class SmpStartIT {
    @BeforeEach
    void needsKvm() {
        KvmRequirement.assumeKvm();
    }

    @Test
    void applicationProcessorsStartThroughInitAndStartupIpis() throws Exception {
        GuestRuns.Result r = GuestRuns.run(3, "compute", Map.of("iterations", "1000"));
        assertThat(r.results().outcome().failure()).as(r.describe()).isNull();
        assertThat(r.results().outcome().guestStatus()).as(r.describe()).isZero();
        assertThat(r.results().ok()).as(r.describe()).isTrue();
        assertThat(r.console()).contains("3 cpus up");
        // APs only leave WAITING_FOR_SIPI through a STARTUP IPI, so a report from each proves the path.
        assertThat(r.results().rows()).extracting(RunResults.Row::vcpu).containsExactly(0, 1, 2);
        assertThat(r.results().outcome().exits().get(2)).containsKey("MMIO").doesNotContainKey("SHUTDOWN (triple fault)");
    }
}
