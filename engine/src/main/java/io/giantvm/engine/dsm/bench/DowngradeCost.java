package io.giantvm.engine.dsm.bench;

import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.dsm.uffd.HostTouch;
import io.giantvm.engine.dsm.uffd.UffdPageMemory;
import io.giantvm.engine.os.Libc;
import java.lang.foreign.MemorySegment;

/**
 * What the owner pays on the critical path of a remote fault and the floors do not include: write-protecting
 * (read fault) or dropping (write fault) a page that another thread of the process has touched, which needs a TLB
 * shootdown. On these machines (a nested PVM guest) the inter-processor interrupt behind it is expensive.
 */
final class DowngradeCost {
    private DowngradeCost() {}

    /** [0] = UFFDIO_WRITEPROTECT samples, [1] = MADV_DONTNEED samples. */
    static Samples[] measure(int samples) throws InterruptedException {
        MemorySegment ram = UffdPageMemory.mapAnonymous((long) samples * DsmLayout.PAGE_SIZE);
        Samples wp = new Samples(samples);
        Samples drop = new Samples(samples);
        try (UffdPageMemory memory = new UffdPageMemory(ram)) {
            byte[] zeros = new byte[DsmLayout.PAGE_SIZE];
            for (int p = 0; p < samples; p++) {
                memory.install(p, zeros, true);
            }
            Thread toucher = Thread.ofPlatform().name("downgrade-toucher").start(() -> {
                for (int p = 0; p < samples; p++) {
                    HostTouch.store(ram, DsmLayout.addressOf(p), p);
                }
            });
            toucher.join();
            for (int p = 0; p < samples; p++) {
                long t0 = System.nanoTime();
                memory.writeProtect(p);
                wp.add(System.nanoTime() - t0);
            }
            for (int p = 0; p < samples; p++) {
                long t0 = System.nanoTime();
                memory.drop(p);
                drop.add(System.nanoTime() - t0);
            }
        } finally {
            Libc.munmap(ram);
        }
        return new Samples[] {wp, drop};
    }
}
