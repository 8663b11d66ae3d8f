package io.giantvm.engine.dsm.bench;

import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.dsm.uffd.HostTouch;
import io.giantvm.engine.os.Libc;
import io.giantvm.engine.os.Userfaultfd;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The floor of a fault resolved locally: a thread reads a missing page, a handler thread (the same blocking
 * poll + read loop as the DSM's) answers with UFFDIO_COPY of zeros. Pages are dropped and touched again.
 *
 * <p>{@link #measureWithRoundTrip} is the floor of a remote fault: the same, but the handler first makes one raw TCP
 * round trip ({@link TcpFloor.PollingAsker}), as the DSM's uffd reader asks the page's home before it copies. It is
 * measured whole rather than as the sum of the two floors because on a host whose idle cores sleep the two do not
 * add up: the peer's core goes idle while the fault is taken locally, and waking it costs more the longer it slept
 * (a C ping-pong across the 2-core build host's cores: 25.5 µs back to back, 27.9 µs after 10 µs of quiet, 46.0 µs
 * after 50 µs). Back-to-back round trips keep the peer's core awake, which no fault path can do without spinning there.
 */
final class UffdFloor {

    private UffdFloor() {}

    /** What the handler does between reading a fault and resolving it; {@code i} counts faults from 0. */
    interface HandlerStep {
        void run(int i) throws IOException;
    }

    static Samples measure(int warmup, int samples) throws InterruptedException, IOException {
        return measure(warmup, samples, i -> { });
    }

    static Samples measureWithRoundTrip(int warmup, int samples, TcpFloor.PollingAsker asker)
            throws InterruptedException, IOException {
        return measure(warmup, samples, asker::roundTrip);
    }

    /**
     * The faulting thread is this one; {@code step} runs on the handler thread before each UFFDIO_COPY. A step that
     * throws still has its fault resolved (the faulting thread would otherwise wait for good) and fails the
     * measurement right after that fault.
     */
    static Samples measure(int warmup, int samples, HandlerStep step) throws InterruptedException, IOException {
        int pages = 256;
        MemorySegment ram = Libc.mmap((long) pages * DsmLayout.PAGE_SIZE, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS | Libc.MAP_NORESERVE, -1, 0, "uffd floor");
        Samples out = new Samples(samples);
        try (Userfaultfd uffd = new Userfaultfd()) {
            uffd.register(ram);
            MemorySegment zero = Arena.ofAuto().allocate(DsmLayout.PAGE_SIZE, DsmLayout.PAGE_SIZE);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failed = new AtomicReference<>();
            Thread resolver = Thread.ofPlatform().name("uffd-floor-resolver").daemon().start(() -> {
                MemorySegment msg = Arena.ofAuto().allocate(Userfaultfd.MSG_BYTES, 8);
                int faults = 0;
                while (!stop.get()) {
                    if (uffd.read(msg, 100)) {
                        long addr = msg.get(ValueLayout.JAVA_LONG, 16) & -DsmLayout.PAGE_SIZE;
                        try {
                            step.run(faults++);
                        } catch (Throwable t) {
                            failed.compareAndSet(null, t);
                        } finally {
                            // A fresh private anonymous page that faulted as missing: the copy cannot meet a page.
                            uffd.copy(addr, zero, DsmLayout.PAGE_SIZE, true);
                        }
                    }
                }
            });
            try {
                touchAll(ram, pages, warmup, samples, out, failed);
            } finally {
                stop.set(true); // before the descriptor closes: the handler must not poll a closed (or reused) number
                resolver.join(1000);
            }
        } finally {
            Libc.munmap(ram);
        }
        return out;
    }

    private static void touchAll(MemorySegment ram, int pages, int warmup, int samples, Samples out,
                                 AtomicReference<Throwable> failed) throws IOException {
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
            Throwable t = failed.get();
            if (t instanceof IOException e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException("the fault handler's step failed: " + t, t);
            }
            if (i >= warmup) {
                out.add(dt);
            }
        }
    }
}
