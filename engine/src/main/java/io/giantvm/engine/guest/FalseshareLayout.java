package io.giantvm.engine.guest;

/** Falseshare workload: all counters in one cache line (of one page), or one page each. */
public enum FalseshareLayout {
    PACKED("packed"),
    PADDED("padded");

    private final String cliName;

    FalseshareLayout(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    static FalseshareLayout parse(String option, String value) {
        for (FalseshareLayout v : values()) {
            if (v.cliName.equals(value)) {
                return v;
            }
        }
        throw new InvalidWorkloadSpecException(
                "--" + option + " must be packed or padded, got '" + value + "'");
    }
}
