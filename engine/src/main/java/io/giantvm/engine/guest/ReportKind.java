package io.giantvm.engine.guest;

/** The {@code kind} field of a report record. */
public enum ReportKind {
    /** One vCPU's result; {@code vcpu} is its APIC id. */
    VCPU(1),
    /** The run summary, sent once by the BSP after every vCPU's record; {@code vcpu} is the vCPU count. */
    SUMMARY(2),
    /**
     * One TSC probe of an application processor, sent by the BSP before the summary: {@code vcpu} is the AP,
     * {@code operations} the BSP's TSC before passing it the token, {@code tscCycles} the AP's TSC on seeing it,
     * {@code checksum} the BSP's TSC on seeing the answer ({@link TscProbe}).
     */
    TSC_PROBE(3);

    private final int code;

    ReportKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ReportKind fromCode(int code) {
        for (ReportKind k : values()) {
            if (k.code == code) {
                return k;
            }
        }
        throw new IllegalArgumentException("bad report kind " + code + " (expected 1, 2 or 3)");
    }
}
