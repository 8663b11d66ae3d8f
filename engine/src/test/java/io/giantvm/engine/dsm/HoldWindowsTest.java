package io.giantvm.engine.dsm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-page hold windows on a simulated clock: how they widen, narrow and where they stop. */
class HoldWindowsTest {
    private static final long MIN = DsmLayout.MIN_HOLD_NANOS;
    private static final int PAGE = 3;

    private final SimHold clock = new SimHold(MIN);
    private final DsmStats stats = new DsmStats(0, 8);
    private final HoldWindows windows = new HoldWindows(clock, 8, stats);

    /** The page is granted, then something wants it back {@code after} nanoseconds later; returns the wait. */
    private long grantThenWantBack(long faultNanos, long after) {
        windows.granted(PAGE, faultNanos);
        clock.advance(after);
        long left = windows.remaining(PAGE);
        clock.advance(left);
        windows.ended(PAGE);
        return left;
    }

    @Test
    void aPageWantedBackInsideItsWindowHoldsTwiceAsLongUpToFourFaultTimes() {
        long fault = 1_000_000; // 1 ms: 4 ms cap
        long[] waits = new long[8];
        for (int i = 0; i < waits.length; i++) {
            waits[i] = grantThenWantBack(fault, 1000);
        }
        assertThat(waits).as("each contended hold is twice the last, until 4 fault times")
                .containsExactly(MIN - 1000, 2 * MIN - 1000, 4 * MIN - 1000, 8 * MIN - 1000, 16 * MIN - 1000,
                        4 * fault - 1000, 4 * fault - 1000, 4 * fault - 1000);
        assertThat(stats.wideHoldPages()).isEqualTo(1);
        assertThat(stats.widestHoldNanos()).isEqualTo(4 * fault);
        assertThat(stats.holdFaultNanos()).isEqualTo(fault);
    }

    @Test
    void aPageLeftAloneForTwiceItsWindowNarrowsBackToTheMinimum() {
        long fault = 1_600_000; // cap 6.4 ms = 32 x the minimum
        for (int i = 0; i < 5; i++) {
            grantThenWantBack(fault, 0);
        }
        long wide = windows.windowNanos(PAGE);
        assertThat(wide).isEqualTo(32 * MIN);
        int steps = 0;
        while (windows.windowNanos(PAGE) > MIN) {
            long window = windows.windowNanos(PAGE);
            assertThat(grantThenWantBack(fault, 2 * window + 1)).as("a late step does not wait").isZero();
            assertThat(windows.windowNanos(PAGE)).isEqualTo(window / 2);
            steps++;
        }
        assertThat(steps).isEqualTo(Long.numberOfTrailingZeros(wide / MIN));
        assertThat(stats.wideHoldPages()).isZero();
    }

    @Test
    void withoutAMeasuredRemoteFaultTheWindowStaysAtTheMinimum() {
        for (int i = 0; i < 10; i++) {
            assertThat(grantThenWantBack(-1, 0)).isEqualTo(MIN);
        }
        assertThat(stats.wideHoldPages()).isZero();
    }

    /** A grant this node sent itself crossed no network: it must not move the cap. */
    @Test
    void localGrantsDoNotFeedTheCap() {
        windows.granted(PAGE, 100_000);
        for (int i = 0; i < 50; i++) {
            windows.granted(PAGE, -1); // what Requester passes for a grant from this node itself
        }
        assertThat(windows.capNanos()).isEqualTo(Math.max(MIN, 4 * 100_000));
        windows.granted(PAGE, 900_000);
        assertThat(windows.faultNanos()).as("a running average: one slow fault moves it an eighth of the way")
                .isEqualTo(100_000 + (900_000 - 100_000) / 8);
    }

    @Test
    void theCapNeverExceedsTheAbsoluteMaximum() {
        for (int i = 0; i < 40; i++) {
            grantThenWantBack(1_000_000_000, 0); // a 1 s fault
        }
        assertThat(windows.windowNanos(PAGE)).isEqualTo(DsmLayout.MAX_HOLD_NANOS);
    }

    @Test
    void aZeroMinimumTurnsHoldsOff() {
        HoldWindows off = new HoldWindows(new SimHold(0), 8, stats);
        off.granted(PAGE, 1_000_000);
        assertThat(off.remaining(PAGE)).isZero();
    }

    @Test
    void aPageNeverGrantedHereIsNotHeld() {
        windows.granted(PAGE, 1_000_000);
        assertThat(windows.remaining(PAGE + 1)).isZero();
    }
}
