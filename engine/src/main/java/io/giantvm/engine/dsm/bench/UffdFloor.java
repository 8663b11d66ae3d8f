package io.giantvm.engine.dsm.bench;

import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.dsm.uffd.HostTouch;
import io.giantvm.engine.os.Libc;
import io.giantvm.engine.os.Userfaultfd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The floor of a fault resolved locally: a thread reads a missing page, a handler thread (the same blocking
 * poll + read loop as the DSM's) answers with UFFDIO_COPY of zeros. Pages are dropped and touched again.
 */
final class UffdFloor {

    private UffdFloor() {}

    static Samples measure(int warmup, int samples) throws InterruptedException {
        int pages = 256;
        MemorySegment ram = Libc.mmap((long) pages * DsmLayout.PAGE_SIZE, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0, "uffd floor");
        Samples out = new Samples(samples);
        try (Userfaultfd uffd = new Userfaultfd()) {
            uffd.register(ram);
            MemorySegment zero = Arena.ofAuto().allocate(DsmLayout.PAGE_SIZE, DsmLayout.PAGE_SIZE);
            boolean[] stop = {false};
            Thread resolver = Thread.ofPlatform().name("uffd-floor-resolver").daemon().start(() -> {
                MemorySegment msg = Arena.ofAuto().allocate(Userfaultfd.MSG_BYTES, 8);
                while (!stop[0]) {
                    if (uffd.read(msg, 100)) {
                        long addr = msg.get(ValueLayout.JAVA_LONG, 16) & -DsmLayout.PAGE_SIZE;
                        uffd.copy(addr, zero, DsmLayout.PAGE_SIZE, true);
                    }
                }
            });
            for (int i = 0; i < warmup + samples; i++) {
                long offset = (long) (i % pages) * DsmLayout.PAGE_SIZE;
                if (i >= pages) {
                    Libc.madvise(ram.asSlice(offset, DsmLayout.PAGE_SIZE), Libc.MADV_DONTNEED);
                }
                long t0 = System.nanoTime();
                long v = HostTouch.load(ram, offset);
                long dt = System.nanoTime() - t0;
                if (v != 0) {
                    throw new IllegalStateException("a zero page read " + v);
                }
                if (i >= warmup) {
                    out.add(dt);
                }
            }
            stop[0] = true;
            resolver.join(1000);
        } finally {
            Libc.munmap(ram);
        }
        return out;
    }
}
