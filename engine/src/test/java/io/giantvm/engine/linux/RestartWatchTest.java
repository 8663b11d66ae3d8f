package io.giantvm.engine.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.giantvm.engine.cpu.GuestCrashException;
import io.giantvm.engine.vm.GuestTimeoutException;
import io.giantvm.engine.vm.RunOutcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A restart the guest asked for ends the run cleanly; a panic, another crash or a timeout stays a failure. */
class RestartWatchTest {
    private static RunOutcome endedBy(Throwable failure) {
        return new RunOutcome(-1, failure, List.of(), Duration.ofSeconds(2), List.of(), 1_000_000);
    }

    private static final RunOutcome TRIPLE_FAULT = endedBy(new GuestCrashException(0, 0xfff0, "SHUTDOWN (triple fault)", true));

    private static RestartWatch fed(String... lines) {
        RestartWatch w = new RestartWatch();
        for (String l : lines) {
            w.accept(l);
        }
        return w;
    }

    @Test
    void anOrderlyRestartThenATripleFaultIsACleanEnd() {
        RunOutcome judged = fed("[   12.1] reboot: Restarting system").judge(TRIPLE_FAULT);
        assertThat(judged.failure()).isNull();
        assertThat(judged.guestStatus()).isZero();
        assertThat(judged.elapsed()).isEqualTo(TRIPLE_FAULT.elapsed());
    }

    @Test
    void aPanicStaysACrashEvenIfARestartLineFollows() {
        RestartWatch w = fed("[    3.0] Kernel panic - not syncing: No working init found.", "[    3.1] reboot: Restarting system");
        assertThat(w.restartRequested()).isFalse();
        assertThat(w.judge(TRIPLE_FAULT)).isSameAs(TRIPLE_FAULT);
    }

    @Test
    void aTripleFaultWithoutTheRestartLineStaysACrash() {
        assertThat(fed("[    1.0] Run /init as init process").judge(TRIPLE_FAULT)).isSameAs(TRIPLE_FAULT);
    }

    @Test
    void otherFailuresAreNotRestartsWhateverTheConsoleSaid() {
        RestartWatch w = fed("reboot: Restarting system");
        RunOutcome emulationFailure = endedBy(new GuestCrashException(1, 0x1000, "KVM internal error, suberror 1"));
        RunOutcome timeout = endedBy(new GuestTimeoutException(Duration.ofSeconds(5)));
        assertThat(w.judge(emulationFailure)).isSameAs(emulationFailure);
        assertThat(w.judge(timeout)).isSameAs(timeout);
    }
}
