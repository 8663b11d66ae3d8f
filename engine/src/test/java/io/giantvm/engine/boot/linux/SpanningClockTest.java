package io.giantvm.engine.boot.linux;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpanningClockTest {
    private static final String BASE = "console=ttyS0 pci=off reboot=t panic=-1 tsc=reliable nokaslr";

    @Test
    void aVmOnSeveralNodesRunsLinuxOnTheTscAtTheRateKvmGaveIt() {
        assertThat(SpanningClock.commandLine(BASE, 2, 2_595_124))
                .isEqualTo(BASE + " no-kvmclock tsc_early_khz=2595124");
    }

    @Test
    void oneNodeKeepsKvmclock() {
        assertThat(SpanningClock.commandLine(BASE, 1, 2_595_124)).isEqualTo(BASE);
        assertThat(SpanningClock.addedParameters(BASE, 1, 2_595_124)).isEmpty();
    }

    @Test
    void whatIsAddedIsWhatTheNewLineEndsWith() {
        // The node prints exactly these; before, it worked them out by cutting the old line off the new one.
        assertThat(SpanningClock.addedParameters(BASE + "  ", 2, 2_595_124)).isEqualTo("no-kvmclock tsc_early_khz=2595124");
        assertThat(SpanningClock.commandLine(BASE + "  ", 2, 2_595_124)).isEqualTo(BASE + " no-kvmclock tsc_early_khz=2595124");
        assertThat(SpanningClock.commandLine("", 2, 1_000)).isEqualTo("no-kvmclock tsc_early_khz=1000");
    }

    @Test
    void aCommandLineThatChoosesItselfIsLeftAlone() {
        assertThat(SpanningClock.commandLine(BASE + " tsc_early_khz=1000000", 2, 2_595_124)).isEqualTo(BASE + " tsc_early_khz=1000000");
        assertThat(SpanningClock.commandLine("no-kvmclock " + BASE, 3, 2_595_124)).isEqualTo("no-kvmclock " + BASE);
        // A parameter that merely starts with the same letters is not a choice.
        assertThat(SpanningClock.commandLine(BASE + " no-kvmclock-vsyscall", 2, 1_000))
                .endsWith(" no-kvmclock tsc_early_khz=1000");
    }

    @Test
    void withoutARateThereIsNothingToTellLinux() {
        assertThatThrownBy(() -> SpanningClock.commandLine(BASE, 2, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TSC rate 0 kHz");
    }
}
