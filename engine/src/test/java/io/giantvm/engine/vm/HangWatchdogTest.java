package io.giantvm.engine.vm;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The KVM suite's last line of defence must fire on a hung test, name it, and show where threads are. */
class HangWatchdogTest {
    private static final Duration LIMIT = Duration.ofMillis(200);

    @Test
    void aTestPastTheLimitIsNamedWithEveryThreadsStackAndEndsTheRun() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CountDownLatch halted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread stuck = Thread.ofPlatform().name("stuck-in-a-test").daemon().start(() -> {
            try {
                release.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        });
        try (HangWatchdog watchdog = new HangWatchdog(LIMIT, new PrintStream(bytes, true, StandardCharsets.UTF_8), halted::countDown)) {
            watchdog.started("\"compute\" on 2 vCPUs");

            assertThat(halted.await(30, TimeUnit.SECONDS)).as("watchdog fired").isTrue();
            String out = bytes.toString(StandardCharsets.UTF_8);
            assertThat(out).contains("kvm-suite: HUNG    \"compute\" on 2 vCPUs: still running after 0.2 s")
                    .contains("\"stuck-in-a-test\" WAITING")
                    .contains("java.util.concurrent.CountDownLatch.await(")
                    // Kernel stacks need root (as in the nested VM); elsewhere the dump says it could not read them.
                    .satisfiesAnyOf(o -> assertThat(o).contains("(stuck-in-a-test) kernel stack:"),
                            o -> assertThat(o).contains("(kernel stacks not readable"));
        } finally {
            release.countDown();
            stuck.join();
        }
    }

    @Test
    void testsThatFinishInTimeNeverTripIt() throws Exception {
        AtomicInteger hangs = new AtomicInteger();
        try (HangWatchdog watchdog = new HangWatchdog(LIMIT, new PrintStream(new ByteArrayOutputStream()), hangs::incrementAndGet)) {
            long end = System.nanoTime() + 5 * LIMIT.toNanos();
            while (System.nanoTime() < end) { // many short tests back to back, each well inside the limit
                watchdog.started("short");
                Thread.sleep(LIMIT.toMillis() / 10);
                watchdog.finished();
            }
            Thread.sleep(3 * LIMIT.toMillis()); // and the idle time after the last one does not count
        }
        assertThat(hangs).hasValue(0);
    }
}
