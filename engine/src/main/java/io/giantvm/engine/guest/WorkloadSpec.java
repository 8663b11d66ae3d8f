package io.giantvm.engine.guest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One run's workload and its parameters, validated. Fields that do not apply to the workload keep
 * their defaults. The ranges equal the guest's (config.c), so a spec that validates here always boots.
 *
 * @param blockBytes memory: block size, a multiple of 8 in 8..1G
 * @param totalBytes memory: bytes transferred per vCPU, a multiple of the block size, at most 1T
 * @param locks      mutex: number of locks, 1..1024
 * @param iterations mutex/falseshare/compute: iterations per vCPU, 1..10^12
 * @param seed       seeds random access patterns and compute; an unsigned 64-bit value
 * @param timerHz    LAPIC timer frequency the guest programs on every vCPU during its workload, 0 = off
 * @param timeMillis time-window mode when &gt; 0: every vCPU runs until the window closes and reports what it
 *                   did (sysbench's {@code --time}); 0 = count mode (iterations / total bytes per vCPU)
 */
public record WorkloadSpec(
        Workload workload,
        long blockBytes,
        long totalBytes,
        MemoryMode mode,
        MemoryScope scope,
        MemoryAccess access,
        int locks,
        long iterations,
        FalseshareLayout layout,
        long seed,
        int timerHz,
        long timeMillis) {

    // CLI option names (without the leading "--").
    public static final String BLOCK_SIZE = "block-size";
    public static final String TOTAL = "total";
    public static final String MODE = "mode";
    public static final String SCOPE = "scope";
    public static final String ACCESS = "access";
    public static final String LOCKS = "locks";
    public static final String ITERATIONS = "iterations";
    public static final String LAYOUT = "layout";
    public static final String SEED = "seed";
    public static final String TIMER_HZ = "timer-hz";
    public static final String TIME = "time";

    public static final long DEFAULT_BLOCK_BYTES = 64L << 10;
    public static final long DEFAULT_TOTAL_BYTES = 64L << 20;
    public static final long MAX_BLOCK_BYTES = 1L << 30;
    public static final long MAX_TOTAL_BYTES = 1L << 40;
    public static final int MAX_LOCKS = 1024;
    public static final long MAX_ITERATIONS = 1_000_000_000_000L;
    public static final int MAX_TIMER_HZ = 10_000;
    public static final long MAX_TIME_MILLIS = 3_600_000;

    private static final long HUGE_PAGE = 2L << 20;
    private static final long PAGE = 4096;
    private static final long MUTEX_LOCK_STRIDE = 64;
    private static final long MUTEX_COUNTER_STRIDE = 4096;

    public WorkloadSpec {
        if (workload == null || mode == null || scope == null || access == null || layout == null) {
            throw new NullPointerException("workload spec fields must not be null");
        }
        if (blockBytes < 8 || blockBytes > MAX_BLOCK_BYTES || blockBytes % 8 != 0) {
            throw new InvalidWorkloadSpecException("--" + BLOCK_SIZE + " must be a multiple of 8 between 8 and 1G, got "
                    + blockBytes);
        }
        if (totalBytes < blockBytes || totalBytes > MAX_TOTAL_BYTES || totalBytes % blockBytes != 0) {
            throw new InvalidWorkloadSpecException("--" + TOTAL + " must be a multiple of --" + BLOCK_SIZE + " ("
                    + Sizes.format(blockBytes) + ") between it and 1024G, got " + Sizes.format(totalBytes));
        }
        if (locks < 1 || locks > MAX_LOCKS) {
            throw new InvalidWorkloadSpecException("--" + LOCKS + " must be between 1 and " + MAX_LOCKS + ", got " + locks);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new InvalidWorkloadSpecException("--" + ITERATIONS + " must be between 1 and " + MAX_ITERATIONS
                    + ", got " + iterations);
        }
        if (timerHz < 0 || timerHz > MAX_TIMER_HZ) {
            throw new InvalidWorkloadSpecException("--" + TIMER_HZ + " must be between 0 (off) and " + MAX_TIMER_HZ
                    + ", got " + timerHz);
        }
        if (timeMillis < 0 || timeMillis > MAX_TIME_MILLIS) {
            throw new InvalidWorkloadSpecException("--" + TIME + " must be between 0.001 and 3600 seconds, got "
                    + timeMillis + " ms");
        }
    }

    /** Whether every vCPU runs for a time window (and reports what it did) rather than a fixed count. */
    public boolean timed() {
        return timeMillis > 0;
    }

    /** The workload with every parameter at its default. */
    public static WorkloadSpec defaults(Workload workload) {
        long iterations = workload == Workload.MEMORY ? 1 : workload.defaultIterations();
        return new WorkloadSpec(workload, DEFAULT_BLOCK_BYTES, DEFAULT_TOTAL_BYTES, MemoryMode.WRITE,
                MemoryScope.LOCAL, MemoryAccess.SEQ, 1, iterations, FalseshareLayout.PACKED, 1, 0, 0);
    }

    /** The CLI options (without "--") that apply to a workload, in the order they are documented. */
    public static List<String> optionNames(Workload workload) {
        return switch (workload) {
            case MEMORY -> List.of(BLOCK_SIZE, TOTAL, MODE, SCOPE, ACCESS, SEED, TIMER_HZ, TIME);
            case MUTEX -> List.of(LOCKS, ITERATIONS, SEED, TIMER_HZ, TIME);
            case FALSESHARE -> List.of(ITERATIONS, LAYOUT, SEED, TIMER_HZ, TIME);
            case COMPUTE -> List.of(ITERATIONS, SEED, TIMER_HZ, TIME);
        };
    }

    /**
     * Builds a spec from a workload name and CLI options, e.g. {@code "memory", {"block-size": "64K",
     * "mode": "read"}}. Option names may carry their leading "--".
     *
     * @throws InvalidWorkloadSpecException with a one-line message on any bad name or value
     */
    public static WorkloadSpec parse(String workloadName, Map<String, String> options) {
        Workload workload = Workload.fromName(workloadName);
        WorkloadSpec d = defaults(workload);
        long block = d.blockBytes, total = d.totalBytes, iterations = d.iterations, seed = d.seed;
        int locks = d.locks, timerHz = d.timerHz;
        MemoryMode mode = d.mode;
        MemoryScope scope = d.scope;
        MemoryAccess access = d.access;
        FalseshareLayout layout = d.layout;
        boolean totalGiven = false, iterationsGiven = false;
        long timeMillis = 0;
        List<String> allowed = optionNames(workload);
        for (Map.Entry<String, String> e : options.entrySet()) {
            String name = e.getKey().startsWith("--") ? e.getKey().substring(2) : e.getKey();
            String value = e.getValue();
            if (!allowed.contains(name)) {
                String what = isKnownOption(name) ? "does not apply to workload " + workload.cliName()
                        : "is not a workload option";
                throw new InvalidWorkloadSpecException("option --" + name + " " + what + " (" + workload.cliName()
                        + " takes: --" + String.join(", --", allowed) + ")");
            }
            if (value == null || value.isEmpty()) {
                throw new InvalidWorkloadSpecException("option --" + name + " needs a value");
            }
            switch (name) {
                case BLOCK_SIZE -> block = Sizes.parse(name, value);
                case TOTAL -> {
                    total = Sizes.parse(name, value);
                    totalGiven = true;
                }
                case MODE -> mode = MemoryMode.parse(name, value);
                case SCOPE -> scope = MemoryScope.parse(name, value);
                case ACCESS -> access = MemoryAccess.parse(name, value);
                case LOCKS -> locks = parseSmall(name, value, 1, MAX_LOCKS);
                case ITERATIONS -> {
                    iterations = parseCount(name, value);
                    iterationsGiven = true;
                }
                case LAYOUT -> layout = FalseshareLayout.parse(name, value);
                case SEED -> seed = parseUnsigned(name, value);
                case TIMER_HZ -> timerHz = parseSmall(name, value, 0, MAX_TIMER_HZ);
                case TIME -> timeMillis = parseSeconds(name, value);
                default -> throw new IllegalStateException("option list and parser disagree on " + name);
            }
        }
        if (!totalGiven && block >= 8 && block <= MAX_BLOCK_BYTES) {
            // The default total must suit any block: the largest multiple of it within 64M, at least one block.
            total = Math.max(block, DEFAULT_TOTAL_BYTES - DEFAULT_TOTAL_BYTES % block);
        }
        if (timeMillis > 0 && (totalGiven || iterationsGiven)) {
            throw new InvalidWorkloadSpecException("--" + TIME + " runs for a time, not a count: drop --"
                    + (totalGiven ? TOTAL : ITERATIONS));
        }
        return new WorkloadSpec(workload, block, total, mode, scope, access, locks, iterations, layout, seed, timerHz,
                timeMillis);
    }

    /** Seconds with up to three decimals ("3", "0.5") as milliseconds, 0.001 .. 3600 s. */
    private static long parseSeconds(String option, String value) {
        if (!value.matches("[0-9]{1,4}(\\.[0-9]{1,3})?")) {
            throw new InvalidWorkloadSpecException("--" + option + " must be seconds, e.g. 3 or 0.5, got '" + value + "'");
        }
        long millis = new java.math.BigDecimal(value).movePointRight(3).longValueExact();
        if (millis < 1 || millis > MAX_TIME_MILLIS) {
            throw new InvalidWorkloadSpecException("--" + option + " must be between 0.001 and 3600 seconds, got " + value);
        }
        return millis;
    }

    private static boolean isKnownOption(String name) {
        for (Workload w : Workload.values()) {
            if (optionNames(w).contains(name)) {
                return true;
            }
        }
        return false;
    }

    private static long parseCount(String option, String value) {
        if (!value.matches("[0-9]{1,19}")) {
            throw new InvalidWorkloadSpecException("--" + option + " must be a whole number, got '" + value + "'");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidWorkloadSpecException("--" + option + ": '" + value + "' is too large");
        }
    }

    private static int parseSmall(String option, String value, int min, int max) {
        long n = parseCount(option, value);
        if (n < min || n > max) {
            throw new InvalidWorkloadSpecException("--" + option + " must be between " + min
                    + (min == 0 ? " (off)" : "") + " and " + max + ", got " + value);
        }
        return (int) n;
    }

    private static long parseUnsigned(String option, String value) {
        try {
            if (!value.matches("[0-9]{1,20}")) {
                throw new NumberFormatException();
            }
            return Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidWorkloadSpecException("--" + option + " must be a whole number in 0..2^64-1, got '"
                    + value + "'");
        }
    }

    /**
     * The guest's kernel command line for this spec on {@code vcpus} vCPUs. Every applicable key is
     * spelled out, so the guest's own defaults never matter.
     */
    public String toKernelCommandLine(int vcpus) {
        if (vcpus < 1 || vcpus > GuestAbi.MAX_VCPUS) {
            throw new InvalidWorkloadSpecException("vcpus must be between 1 and " + GuestAbi.MAX_VCPUS + ", got " + vcpus);
        }
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("vcpus", Integer.toString(vcpus));
        keys.put("workload", workload.cliName());
        // In time-window mode time_ms stands where the count would (the engine appends tsc_khz when it boots).
        Map.Entry<String, String> count = timed() ? Map.entry("time_ms", Long.toString(timeMillis))
                : Map.entry("iterations", Long.toString(iterations));
        switch (workload) {
            case MEMORY -> {
                keys.put("block", Long.toString(blockBytes));
                if (!timed()) {
                    keys.put("total", Long.toString(totalBytes));
                }
                keys.put("mode", mode.cliName());
                keys.put("scope", scope.cliName());
                keys.put("access", access.cliName());
                if (timed()) {
                    keys.put(count.getKey(), count.getValue());
                }
            }
            case MUTEX -> {
                keys.put("locks", Integer.toString(locks));
                keys.put(count.getKey(), count.getValue());
            }
            case FALSESHARE -> {
                keys.put(count.getKey(), count.getValue());
                keys.put("layout", layout.cliName());
            }
            case COMPUTE -> keys.put(count.getKey(), count.getValue());
        }
        keys.put("seed", Long.toUnsignedString(seed));
        if (timerHz > 0) {
            keys.put("timer_hz", Integer.toString(timerHz));
        }
        StringJoiner line = new StringJoiner(" ");
        keys.forEach((k, v) -> line.add(k + "=" + v));
        return line.toString();
    }

    /** What each vCPU reports as {@code operations} in count mode: bytes for memory, iterations otherwise. */
    public long operationsPerVcpu() {
        return workload == Workload.MEMORY ? totalBytes : iterations;
    }

    /** What the guest reports as {@code extra0}: block size, locks, or 0/1 for packed/padded. */
    public long extra0() {
        return switch (workload) {
            case MEMORY -> blockBytes;
            case MUTEX -> locks;
            case FALSESHARE -> layout == FalseshareLayout.PADDED ? 1 : 0;
            case COMPUTE -> 0;
        };
    }

    /** Exclusive end of the guest-physical range the workload's data occupies (see CONTRACT.md). */
    public long dataEnd(int vcpus) {
        long base = GuestAbi.DATA_BASE;
        return switch (workload) {
            case MEMORY -> base + (scope == MemoryScope.GLOBAL ? 1 : vcpus) * roundUp(blockBytes, HUGE_PAGE);
            case MUTEX -> base + roundUp(locks * MUTEX_LOCK_STRIDE, PAGE) + locks * MUTEX_COUNTER_STRIDE;
            case FALSESHARE -> base + (layout == FalseshareLayout.PADDED ? vcpus * PAGE : PAGE);
            case COMPUTE -> base;
        };
    }

    /** The least guest RAM this spec boots in: its data, and never less than the guest's 32 MiB floor. */
    public long minimumMemoryBytes(int vcpus) {
        return Math.max(GuestAbi.MIN_RAM_BYTES, dataEnd(vcpus));
    }

    private static long roundUp(long v, long to) {
        return (v + to - 1) / to * to;
    }
}
