package io.giantvm.engine.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.stream.Stream;

/**
 * Which CPUs this process may run on, and pinning the whole process to some of them. Linux keeps an affinity mask
 * per thread, not per process, so pinning walks {@code /proc/self/task}; a thread started afterwards inherits its
 * creator's mask, so once every thread is pinned the process stays pinned.
 */
public final class CpuAffinity {
    /** Room for 8192 CPUs: sched_getaffinity fails with EINVAL if the mask is smaller than the kernel's. */
    private static final int MASK_BYTES = 1024;

    private CpuAffinity() {}

    /** The CPUs the calling thread may run on. */
    public static BitSet allowed() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(MASK_BYTES, 8);
            int bytes = Libc.schedGetaffinity(0, mask);
            return BitSet.valueOf(mask.asSlice(0, bytes).toArray(ValueLayout.JAVA_BYTE));
        }
    }

    /** Pins every thread of this process to {@code cpus} (not empty). */
    public static void pinProcess(BitSet cpus) {
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("cannot pin a process to no CPU");
        }
        try (Arena arena = Arena.ofConfined(); Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            MemorySegment mask = arena.allocate(MASK_BYTES, 8);
            byte[] bits = cpus.toByteArray();
            MemorySegment.copy(bits, 0, mask, ValueLayout.JAVA_BYTE, 0, bits.length);
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    Libc.schedSetaffinity(Integer.parseInt(task.getFileName().toString()), mask);
                } catch (NativeException e) {
                    if (e.errno() != Errno.ESRCH) { // ESRCH: the thread ended after the listing, nothing to pin
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list this process's threads in /proc/self/task", e);
        }
    }

    /** {@link #pinProcess(BitSet)} to one CPU. */
    public static void pinProcess(int cpu) {
        BitSet one = new BitSet();
        one.set(cpu);
        pinProcess(one);
    }
}
