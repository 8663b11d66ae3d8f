package io.giantvm.engine.guest;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The guest's workloads, with the code used in report records and the name used on command lines. */
public enum Workload {
    MEMORY(1, "memory", 0),
    MUTEX(2, "mutex", 100_000),
    FALSESHARE(3, "falseshare", 1_000_000),
    COMPUTE(4, "compute", 100_000_000);

    private final int code;
    private final String cliName;
    private final long defaultIterations;

    Workload(int code, String cliName, long defaultIterations) {
        this.code = code;
        this.cliName = cliName;
        this.defaultIterations = defaultIterations;
    }

    public int code() {
        return code;
    }

    public String cliName() {
        return cliName;
    }

    /** Iterations per vCPU when none are given (memory has none: it is sized by bytes). */
    long defaultIterations() {
        return defaultIterations;
    }

    public static Workload fromName(String name) {
        for (Workload w : values()) {
            if (w.cliName.equals(name)) {
                return w;
            }
        }
        throw new InvalidWorkloadSpecException(
                "unknown workload '" + name + "' (expected one of: " + names() + ")");
    }

    public static Workload fromCode(int code) {
        for (Workload w : values()) {
            if (w.code == code) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload code " + code + " (expected 1..4)");
    }

    static String names() {
        return Arrays.stream(values()).map(Workload::cliName).collect(Collectors.joining(", "));
    }
}
