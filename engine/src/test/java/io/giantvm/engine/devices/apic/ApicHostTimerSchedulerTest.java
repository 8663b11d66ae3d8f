package io.giantvm.engine.devices.apic;

import static io.giantvm.engine.devices.apic.ApicFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The real host timer thread: named, daemon, cancellable, stoppable; and one real APIC timer on it. */
class ApicHostTimerSchedulerTest {
    private static final long WAIT_SECONDS = 10;

    @Test
    void tasksRunOnTheNamedDaemonThread() throws InterruptedException {
        try (HostTimerScheduler scheduler = new HostTimerScheduler()) {
            CountDownLatch ran = new CountDownLatch(1);
            AtomicReference<Thread> runner = new AtomicReference<>();
            scheduler.schedule(scheduler.nanoTime() + 1_000_000, () -> {
                runner.set(Thread.currentThread());
                ran.countDown();
            });
            assertThat(ran.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(runner.get().getName()).isEqualTo("apic-timer");
            assertThat(runner.get().isDaemon()).isTrue();
        }
    }

    @Test
    void aCancelledTaskNeverRuns() throws InterruptedException {
        try (HostTimerScheduler scheduler = new HostTimerScheduler()) {
            AtomicBoolean cancelledRan = new AtomicBoolean();
            CountDownLatch later = new CountDownLatch(1);
            long now = scheduler.nanoTime();
            scheduler.schedule(now + 20_000_000, () -> cancelledRan.set(true)).cancel();
            scheduler.schedule(now + 40_000_000, later::countDown);
            assertThat(later.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(cancelledRan).isFalse();
        }
    }

    @Test
    void closeStopsTheThread() {
        HostTimerScheduler scheduler = new HostTimerScheduler();
        scheduler.schedule(scheduler.nanoTime() + TimeUnit.HOURS.toNanos(1), () -> { });
        scheduler.close();
        assertThatThrownBy(() -> scheduler.schedule(scheduler.nanoTime(), () -> { }))
                .isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aRealOneShotApicTimerWakesItsVcpu() throws InterruptedException {
        try (HostTimerScheduler scheduler = new HostTimerScheduler()) {
            CountDownLatch woken = new CountDownLatch(1);
            LocalApic apic = new LocalApic(4, ipi -> { }, scheduler, id -> {
                if (id == 4) {
                    woken.countDown();
                }
            });
            write(apic, 0x0F0, 0x1FF);
            write(apic, 0x320, 0x20);
            write(apic, 0x3E0, 0xB);
            write(apic, 0x380, 2_000_000); // 2 ms at 1 ns per count
            assertThat(woken.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(apic.pendingVector()).isEqualTo(0x20);
            assertThat(ApicFixture.read(apic, 0x390)).isZero();
        }
    }
}
