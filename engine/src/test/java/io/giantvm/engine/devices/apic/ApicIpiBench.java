package io.giantvm.engine.devices.apic;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Prints what the emulated APIC costs per IPI and per interrupt cycle, to compare with a KVM exit
 * (~29 us here). Not a test: run it by hand after {@code ./mvnw -pl engine test-compile}:
 * {@code java -cp engine/target/classes:engine/target/test-classes io.giantvm.engine.devices.apic.ApicIpiBench}
 */
public final class ApicIpiBench {
    private static final int WARMUP = 200_000;
    private static final int ROUNDS = 2_000_000;

    public static void main(String[] args) throws InterruptedException {
        ManualTimerScheduler clock = new ManualTimerScheduler();
        AtomicLong wakes = new AtomicLong();
        ApicRouter router = new ApicRouter(id -> wakes.incrementAndGet(), new ApLifecycle() {
            @Override
            public void init(int apicId) {
            }

            @Override
            public void startup(int apicId, int vector) {
            }
        }, RemoteIpiSink.NONE);
        LocalApic a = new LocalApic(0, router, clock, id -> wakes.incrementAndGet());
        LocalApic b = new LocalApic(1, router, clock, id -> wakes.incrementAndGet());
        router.register(a);
        router.register(b);
        ApicFixture.write(a, 0x0F0, 0x1FF);
        ApicFixture.write(b, 0x0F0, 0x1FF);
        ApicFixture.write(a, 0x310, 0x0100_0000);

        cycle(a, b, WARMUP);
        long start = System.nanoTime();
        cycle(a, b, ROUNDS);
        long elapsed = System.nanoTime() - start;
        System.out.printf("one thread: ICR write -> route -> accept -> wake -> acknowledge -> EOI: %.1f ns per IPI (%d rounds)%n",
                (double) elapsed / ROUNDS, ROUNDS);

        Thread other = new Thread(() -> {
            ApicFixture.write(b, 0x310, 0x0000_0000);
            for (int i = 0; i < ROUNDS; i++) {
                ApicFixture.write(b, 0x300, 0x4041);
            }
        }, "bench-sender");
        start = System.nanoTime();
        other.start();
        for (int i = 0; i < ROUNDS; i++) {
            if (a.acknowledge() >= 0) {
                ApicFixture.write(a, 0x0B0, 0);
            }
        }
        other.join(60_000);
        elapsed = System.nanoTime() - start;
        System.out.printf("two threads: one sends to APIC 0 while its owner acknowledges/EOIs: %.1f ns per round%n",
                (double) elapsed / ROUNDS);
    }

    private static void cycle(LocalApic sender, LocalApic target, int rounds) {
        for (int i = 0; i < rounds; i++) {
            ApicFixture.write(sender, 0x300, 0x4040);
            target.acknowledge();
            ApicFixture.write(target, 0x0B0, 0);
        }
    }
}
