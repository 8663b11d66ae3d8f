package io.giantvm.engine.dsm.uffd;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Loads and stores to DSM-managed memory from host threads (tests, benchmarks), the way a vCPU touches it.
 *
 * <p>Why through libc's memcpy: a thread that faults on userfaultfd memory sleeps in the kernel until the fault
 * is resolved. If it faulted in Java code, the JVM counts it as running Java and a safepoint (GC, deoptimization,
 * a thread dump) waits for it forever — while the uffd reader and mesh threads, which would resolve the fault,
 * are parked at that same safepoint. A downcall runs in native state, which safepoints do not wait for, exactly
 * like a vCPU thread inside KVM_RUN. Never touch absent guest pages from Java code.
 */
public final class HostTouch {
    private static final MethodHandle MEMCPY = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("memcpy").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    private static final ThreadLocal<MemorySegment> SCRATCH = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(8, 8));

    private HostTouch() {}

    /** An 8-byte load at {@code offset} of {@code ram}. */
    public static long load(MemorySegment ram, long offset) {
        MemorySegment s = SCRATCH.get();
        copy(s, ram.asSlice(offset, 8));
        return s.get(ValueLayout.JAVA_LONG, 0);
    }

    /** An 8-byte store at {@code offset} of {@code ram}. */
    public static void store(MemorySegment ram, long offset, long value) {
        MemorySegment s = SCRATCH.get();
        s.set(ValueLayout.JAVA_LONG, 0, value);
        copy(ram.asSlice(offset, 8), s);
    }

    private static void copy(MemorySegment dst, MemorySegment src) {
        try {
            MemorySegment ignored = (MemorySegment) MEMCPY.invokeExact(dst, src, 8L);
        } catch (Throwable t) {
            throw new IllegalStateException("memcpy", t);
        }
    }
}
