package io.giantvm.engine.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.giantvm.engine.cpu.GuestCrashException;
import org.junit.jupiter.api.Test;

class EmulationFaultsTest {

    @Test
    void aKvmInternalErrorDeepInTheCausesIsAKnownEmulationFault() {
        Throwable crash = new GuestCrashException(0, 0x1000, "KVM internal error, suberror 1 (instruction emulation failed)");
        Throwable failure = new AssertionError("node 1 failed", new RuntimeException("vCPU stopped", crash));
        assertThat(EmulationFaults.knownFault(failure)).contains("KVM internal error");
    }

    @Test
    void aWrongCounterIsNeverRerun() {
        Throwable failure = new AssertionError("mutex counter: expected 200000 but was 199998");
        assertThat(EmulationFaults.knownFault(failure)).isEmpty();
    }

    @Test
    void aTripleFaultOrATimeoutIsNotAnEmulationFaultEither() {
        // Both are what a DSM coherence bug looks like from outside (e213c07 was suspected of a triple fault).
        assertThat(EmulationFaults.knownFault(new GuestCrashException(1, 0, "system event 1 (the guest asked for shutdown or reset)"))).isEmpty();
        assertThat(EmulationFaults.knownFault(new AssertionError("guest did not finish within 240 s"))).isEmpty();
        assertThat(EmulationFaults.knownFault(null)).isEmpty();
    }

    @Test
    void aNodeProcessThatDiedOfAFailedEntryIsAKnownEmulationFault() {
        // How the multi-node ITs see it: the launcher's exit status, described by its stderr.
        AssertionError failure = new AssertionError("[giantvm: node 1: vCPU 0 crashed at rip 0x1000: KVM could not enter"
                + " the guest (FAIL_ENTRY, hardware reason 0x0)] expected: 0 but was: 1");
        assertThat(EmulationFaults.knownFault(failure)).contains("KVM could not enter the guest (FAIL_ENTRY");
    }
}
