package io.giantvm.engine.guest;

/**
 * The host's recomputation of what the guest reports as {@code checksum}, so the engine can verify a
 * run. Mirrors {@code engine/src/main/guest/workloads.c}; GuestWorkloadsAgreeWithJavaTest compiles that
 * file for the host and holds the two to the same answers. All arithmetic is modulo 2^64.
 */
public final class ExpectedChecksums {
    private ExpectedChecksums() {}

    static final long MEMORY_WORD_MULTIPLIER = 0x9E3779B97F4A7C15L;
    static final long XORSHIFT_ZERO_REPLACEMENT = 0x9E3779B97F4A7C15L;
    static final long COMPUTE_MULTIPLIER = 0x5851F42D4C957F2DL;
    static final long COMPUTE_INCREMENT = 0x14057B7EF767814FL;

    /** The checksum vCPU {@code vcpu} reports in count mode (mutex: 0; falseshare: its final counter). */
    public static long perVcpu(WorkloadSpec spec, int vcpu) {
        return perVcpu(spec, vcpu, spec.operationsPerVcpu());
    }

    /**
     * The checksum of vCPU {@code vcpu} after {@code operations} (bytes for memory, iterations otherwise):
     * in time-window mode each vCPU reports how much it did, and the checksum must match that amount.
     */
    public static long perVcpu(WorkloadSpec spec, int vcpu, long operations) {
        return switch (spec.workload()) {
            case MEMORY -> memory(spec, vcpu, operations);
            case MUTEX -> 0;
            case FALSESHARE -> operations;
            case COMPUTE -> compute(spec, vcpu, operations);
        };
    }

    /** The checksum of the summary record of a run on {@code vcpus} vCPUs. */
    public static long summary(WorkloadSpec spec, int vcpus) {
        if (spec.workload() == Workload.MUTEX) {
            return vcpus * spec.iterations();   // the final shared counter: no update may be lost
        }
        long sum = 0;
        for (int v = 0; v < vcpus; v++) {
            sum += perVcpu(spec, v);
        }
        return sum;
    }

    /**
     * Memory workload: the sum of the words read or written. Word w holds {@code (w * 0x9E3779B97F4A7C15) ^ seed}
     * in both modes (read mode initialises the block first), so mode and scope do not change the answer.
     * Costs O(block/8) for seq and O(total/8) for rnd (about 0.3 s per GiB of random traffic).
     */
    public static long memory(WorkloadSpec spec, int vcpu) {
        return memory(spec, vcpu, spec.totalBytes());
    }

    /** As {@link #memory(WorkloadSpec, int)} over {@code totalBytes} instead of the spec's total. */
    static long memory(WorkloadSpec spec, int vcpu, long totalBytes) {
        long words = spec.blockBytes() / 8;
        long seed = spec.seed();
        if (spec.access() == MemoryAccess.SEQ) {
            long perPass = 0;
            for (long w = 0; w < words; w++) {
                perPass += word(w, seed);
            }
            return perPass * (totalBytes / spec.blockBytes());
        }
        long x = seed + vcpu;
        if (x == 0) {
            x = XORSHIFT_ZERO_REPLACEMENT;
        }
        long sum = 0;
        for (long a = totalBytes / 8; a > 0; a--) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            sum += word(Math.unsignedMultiplyHigh(x, words), seed);
        }
        return sum;
    }

    /** Compute workload: {@code iterations} steps of x = x * M + I; x ^= x >> 33, from x = seed + vcpu. */
    public static long compute(WorkloadSpec spec, int vcpu) {
        return compute(spec, vcpu, spec.iterations());
    }

    static long compute(WorkloadSpec spec, int vcpu, long iterations) {
        long x = spec.seed() + vcpu;
        for (long k = iterations; k > 0; k--) {
            x = x * COMPUTE_MULTIPLIER + COMPUTE_INCREMENT;
            x ^= x >>> 33;
        }
        return x;
    }

    private static long word(long index, long seed) {
        return (index * MEMORY_WORD_MULTIPLIER) ^ seed;
    }
}
