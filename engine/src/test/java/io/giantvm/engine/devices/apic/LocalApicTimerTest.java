package io.giantvm.engine.devices.apic;

import static io.giantvm.engine.devices.apic.ApicFixture.latchedEsr;
import static io.giantvm.engine.devices.apic.ApicFixture.read;
import static io.giantvm.engine.devices.apic.ApicFixture.write;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The APIC timer against a hand-driven clock. Bus cycle: 1 ns before division, so with divide-by-1
 * a count of N lasts exactly N ns. Periods below 200 us are clamped, so periodic tests use longer ones.
 */
class LocalApicTimerTest {
    private static final int LVT_TIMER = 0x320, INITIAL = 0x380, CURRENT = 0x390, DIVIDE = 0x3E0;
    private static final int ONE_SHOT = 0x20, PERIODIC = 0x2_0020, MASKED = 0x1_0000, TSC_DEADLINE = 0x4_0020;
    private static final int DIVIDE_BY_1 = 0xB, DIVIDE_BY_2 = 0x0, DIVIDE_BY_16 = 0x3;

    private final ApicFixture fixture = new ApicFixture();
    private final ManualTimerScheduler clock = fixture.clock;
    private final LocalApic apic = fixture.enabledApic(0);

    /** Takes the timer interrupt like the guest's handler: acknowledge, then EOI. */
    private int serviceInterrupt() {
        int vector = apic.acknowledge();
        if (vector >= 0) {
            write(apic, 0x0B0, 0);
        }
        return vector;
    }

    @Test
    void theDiagnosisLineSaysWhatCouldWakeTheVcpu() {
        write(apic, LVT_TIMER, ONE_SHOT);
        write(apic, DIVIDE, DIVIDE_BY_16);
        write(apic, INITIAL, 1_000_000);
        clock.advance(4_000_000);
        assertThat(apic.describe()).isEqualTo("APIC enabled, IRR top 0x0, ISR top 0x0, TPR 0x0, PPR 0x0,"
                + " timer LVT vector 0x20: one-shot, armed, due in 12.00 ms (initial 1000000, divide 16)");
        write(apic, LVT_TIMER, ONE_SHOT | MASKED);
        clock.advance(12_000_000);
        assertThat(apic.describe()).endsWith("timer LVT vector 0x20 masked: one-shot, disarmed (initial 1000000, divide 16)");
    }

    @Test
    void oneShotFiresExactlyAtTheDeadlineAndCountsDownToZero() {
        write(apic, LVT_TIMER, ONE_SHOT);
        write(apic, DIVIDE, DIVIDE_BY_1);
        write(apic, INITIAL, 1000);
        assertThat(read(apic, INITIAL)).isEqualTo(1000);
        assertThat(read(apic, CURRENT)).isEqualTo(1000);

        clock.advance(250);
        assertThat(read(apic, CURRENT)).isEqualTo(750);
        clock.advance(749);
        assertThat(read(apic, CURRENT)).isEqualTo(1);
        assertThat(apic.pendingVector()).isEqualTo(-1);
        assertThat(fixture.wakes).isEmpty();

        clock.advance(1);
        assertThat(apic.pendingVector()).isEqualTo(0x20);
        assertThat(fixture.wakes).containsExactly(0);
        assertThat(read(apic, CURRENT)).isZero();
        assertThat(serviceInterrupt()).isEqualTo(0x20);

        clock.advance(1_000_000);
        assertThat(apic.pendingVector()).isEqualTo(-1);
        assertThat(fixture.wakes).hasSize(1);
        assertThat(read(apic, CURRENT)).isZero();
        assertThat(read(apic, INITIAL)).as("the initial count is kept").isEqualTo(1000);
    }

    @Test
    void divideConfigurationSlowsTheCount() {
        write(apic, LVT_TIMER, ONE_SHOT);
        write(apic, DIVIDE, DIVIDE_BY_16);
        write(apic, INITIAL, 100);
        clock.advance(15);
        assertThat(read(apic, CURRENT)).isEqualTo(100);
        clock.advance(1);
        assertThat(read(apic, CURRENT)).isEqualTo(99);
        clock.advance(16 * 98);
        assertThat(read(apic, CURRENT)).isEqualTo(1);
        clock.advance(15);
        assertThat(apic.pendingVector()).isEqualTo(-1);
        clock.advance(1);
        assertThat(apic.pendingVector()).as("fires after 100 * 16 ns").isEqualTo(0x20);
    }

    @Test
    void divideEncodingsMapToTheSdmDivisors() {
        int[] encodings = {0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xA, 0xB};
        int[] divisors = {2, 4, 8, 16, 32, 64, 128, 1};
        for (int i = 0; i < encodings.length; i++) {
            assertThat(ApicTimer.divisor(encodings[i])).as("encoding 0x%x", encodings[i]).isEqualTo(divisors[i]);
        }
        write(apic, DIVIDE, 0xFFFF_FFFF);
        assertThat(read(apic, DIVIDE)).as("bit 2 and bits 4..31 are reserved").isEqualTo(0xB);
    }

    @Test
    void everyDivisorFiresAfterCountTimesDivisorNanoseconds() {
        int[] encodings = {0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xA, 0xB};
        int[] divisors = {2, 4, 8, 16, 32, 64, 128, 1};
        for (int i = 0; i < encodings.length; i++) {
            write(apic, LVT_TIMER, ONE_SHOT);
            write(apic, DIVIDE, encodings[i]);
            write(apic, INITIAL, 10);
            clock.advance(10L * divisors[i] - 1);
            assertThat(apic.pendingVector()).as("divide by %d, one ns early", divisors[i]).isEqualTo(-1);
            clock.advance(1);
            assertThat(serviceInterrupt()).as("divide by %d, on time", divisors[i]).isEqualTo(0x20);
        }
    }

    @Test
    void periodicReloadsAndFiresEveryPeriod() {
        write(apic, LVT_TIMER, PERIODIC);
        write(apic, DIVIDE, DIVIDE_BY_2);
        write(apic, INITIAL, 500_000); // 1 ms period
        clock.advance(999_999);
        assertThat(apic.pendingVector()).isEqualTo(-1);
        clock.advance(1);
        assertThat(serviceInterrupt()).isEqualTo(0x20);
        assertThat(read(apic, CURRENT)).as("reloaded").isEqualTo(500_000);

        clock.advance(200_000);
        assertThat(read(apic, CURRENT)).isEqualTo(400_000);
        clock.advance(800_000);
        assertThat(serviceInterrupt()).isEqualTo(0x20);
        assertThat(fixture.wakes).hasSize(2);

        clock.advance(3_000_000); // three more periods
        assertThat(fixture.wakes).hasSize(5);
        assertThat(serviceInterrupt()).as("unserviced expiries coalesce in one IRR bit").isEqualTo(0x20);
        assertThat(serviceInterrupt()).isEqualTo(-1);
        assertThat(read(apic, CURRENT)).isEqualTo(500_000);
    }

    @Test
    void periodsBelowTheMinimumAreClampedTo200Microseconds() {
        write(apic, LVT_TIMER, PERIODIC);
        write(apic, DIVIDE, DIVIDE_BY_1);
        write(apic, INITIAL, 10);
        clock.advance(199_999);
        assertThat(fixture.wakes).isEmpty();
        assertThat(read(apic, CURRENT)).as("never above the initial count").isEqualTo(1);
        clock.advance(1);
        assertThat(fixture.wakes).hasSize(1);
        clock.advance(200_000);
        assertThat(fixture.wakes).hasSize(2);
    }

    @Test
    void maskedTimerKeepsCountingButRaisesNothing() {
        write(apic, LVT_TIMER, PERIODIC | MASKED);
        write(apic, DIVIDE, DIVIDE_BY_1);
        write(apic, INITIAL, 1_000_000);
        clock.advance(2_500_000);
        assertThat(apic.pendingVector()).isEqualTo(-1);
        assertThat(fixture.wakes).isEmpty();
        assertThat(read(apic, CURRENT)).isEqualTo(500_000);

        write(apic, LVT_TIMER, PERIODIC); // unmask mid-period: the next boundary fires
        clock.advance(500_000);
        assertThat(apic.pendingVector()).isEqualTo(0x20);
        assertThat(fixture.wakes).containsExactly(0);
    }

    @Test
    void rewritingTheInitialCountRestartsTheTimer() {
        write(apic, LVT_TIMER, ONE_SHOT);
        write(apic, DIVIDE, DIVIDE_BY_1);
        write(apic, INITIAL, 1000);
        clock.advance(600);
        write(apic, INITIAL, 1000);
        assertThat(read(apic, CURRENT)).isEqualTo(1000);
        clock.advance(999);
        assertThat(apic.pendingVector()).as("the first deadline no longer counts").isEqualTo(-1);
        clock.advance(1);
        assertThat(apic.pendingVector()).isEqualTo(0x20);
        assertThat(fixture.wakes).hasSize(1);
    }

    @Test
    void aSupersededHostTimerThatStillRunsIsIgnored() {
        ApicFixture racy = new ApicFixture(new ManualTimerScheduler(false));
        LocalApic racyApic = racy.enabledApic(0);
        write(racyApic, LVT_TIMER, ONE_SHOT);
        write(racyApic, DIVIDE, DIVIDE_BY_1);
        write(racyApic, INITIAL, 1000);
        racy.clock.advance(600);
        write(racyApic, INITIAL, 1000);
        racy.clock.advance(400); // the first host timer runs here anyway
        assertThat(racyApic.pendingVector()).isEqualTo(-1);
        assertThat(read(racyApic, CURRENT)).isEqualTo(600);
        racy.clock.advance(600);
        assertThat(racyApic.pendingVector()).isEqualTo(0x20);
    }

    @Test
    void writingZeroStopsTheTimer() {
        write(apic, LVT_TIMER, PERIODIC);
        write(apic, DIVIDE, DIVIDE_BY_1);
        write(apic, INITIAL, 1_000_000);
        clock.advance(500_000);
        write(apic, INITIAL, 0);
        assertThat(read(apic, CURRENT)).isZero();
        assertThat(clock.pendingTasks()).isZero();
        clock.advance(5_000_000);
        assertThat(fixture.wakes).isEmpty();
    }

    @Test
    void changingTheDivisorMidCountKeepsTheCountAndChangesTheRate() {
        write(apic, LVT_TIMER, ONE_SHOT);
        write(apic, DIVIDE, DIVIDE_BY_1);
        write(apic, INITIAL, 1000);
        clock.advance(400);
        write(apic, DIVIDE, DIVIDE_BY_2);
        assertThat(read(apic, CURRENT)).isEqualTo(600);
        clock.advance(2 * 599);
        assertThat(read(apic, CURRENT)).isEqualTo(1);
        assertThat(apic.pendingVector()).isEqualTo(-1);
        clock.advance(2);
        assertThat(apic.pendingVector()).isEqualTo(0x20);
    }

    @Test
    void oneShotSwitchedToPeriodicBeforeExpiryKeepsRunning() {
        write(apic, LVT_TIMER, ONE_SHOT);
        write(apic, DIVIDE, DIVIDE_BY_1);
        write(apic, INITIAL, 1_000_000);
        clock.advance(100_000);
        write(apic, LVT_TIMER, PERIODIC);
        clock.advance(900_000);
        assertThat(fixture.wakes).hasSize(1);
        clock.advance(1_000_000);
        assertThat(fixture.wakes).hasSize(2);
    }

    @Test
    void tscDeadlineModeIsUnsupportedAndActsMasked() {
        write(apic, LVT_TIMER, ONE_SHOT);
        write(apic, DIVIDE, DIVIDE_BY_1);
        write(apic, INITIAL, 1000);
        write(apic, LVT_TIMER, TSC_DEADLINE);
        assertThat(read(apic, CURRENT)).isZero();
        write(apic, INITIAL, 1000);
        assertThat(read(apic, INITIAL)).as("initial count is ignored in TSC-deadline mode").isZero();
        clock.advance(10_000);
        assertThat(fixture.wakes).isEmpty();
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void softwareDisableMasksARunningTimer() {
        write(apic, LVT_TIMER, PERIODIC);
        write(apic, DIVIDE, DIVIDE_BY_1);
        write(apic, INITIAL, 1_000_000);
        write(apic, 0x0F0, 0x0FF);
        clock.advance(3_000_000);
        assertThat(fixture.wakes).isEmpty();
        write(apic, 0x0F0, 0x1FF);
        assertThat(apic.pendingVector()).isEqualTo(-1);
    }

    @Test
    void initStopsTheTimer() {
        write(apic, LVT_TIMER, ONE_SHOT);
        write(apic, DIVIDE, DIVIDE_BY_1);
        write(apic, INITIAL, 1000);
        apic.init();
        clock.advance(10_000);
        assertThat(fixture.wakes).isEmpty();
        assertThat(read(apic, CURRENT)).isZero();
    }

    @Test
    void anIllegalTimerVectorIsReportedInEsr() {
        write(apic, LVT_TIMER, 0x05);
        write(apic, DIVIDE, DIVIDE_BY_1);
        write(apic, INITIAL, 10);
        clock.advance(10);
        assertThat(apic.pendingVector()).isEqualTo(-1);
        assertThat(fixture.wakes).isEmpty();
        assertThat(latchedEsr(apic)).isEqualTo(0x40);
    }
}
