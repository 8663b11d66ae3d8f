package io.giantvm.engine.clock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClockSampleTest {

    @Test
    void theOffsetIsTheRemoteClockMinusTheMidpoint() {
        ClockSample s = new ClockSample(1_000_000, 51_000_500, 1_001_000);
        assertThat(s.roundTripNanos()).isEqualTo(1_000);
        assertThat(s.offsetNanos()).isEqualTo(50_000_000);
        assertThat(s.offsetWithinItsError()).isEqualTo(50_000_000);
    }

    @Test
    void clocksThatAgreeWithinHalfTheRoundTripAreTakenAsOne() {
        ClockSample s = new ClockSample(0, -4_000_000, 17_000_000);   // nested emulation, one host
        assertThat(s.offsetNanos()).isEqualTo(-12_500_000);
        assertThat(new ClockSample(0, 2_000_000, 17_000_000).offsetWithinItsError()).isZero();
        assertThat(s.offsetWithinItsError()).isEqualTo(-12_500_000);
    }

    @Test
    void guestTscCountsFromTheEpochAtItsRate() {
        assertThat(GuestTsc.valueAt(1_000_000_000L + 2_500_000, 1_000_000_000L, 2_000_000)).isEqualTo(5_000_000);
        assertThat(GuestTsc.valueAt(5, 10, 2_000_000)).as("before the epoch").isZero();
        long elevenDays = 11L * 24 * 3600 * 1_000_000_000L;
        assertThat(GuestTsc.valueAt(elevenDays, 0, 10_000_000)).as("no overflow at 10 GHz")
                .isEqualTo(11L * 24 * 3600 * 10_000_000_000L);
    }
}
