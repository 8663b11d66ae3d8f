package io.giantvm.engine.guest;

/** Memory workload: sequential passes, or xorshift64-random 8-byte accesses. */
public enum MemoryAccess {
    SEQ("seq"),
    RND("rnd");

    private final String cliName;

    MemoryAccess(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    static MemoryAccess parse(String option, String value) {
        for (MemoryAccess v : values()) {
            if (v.cliName.equals(value)) {
                return v;
            }
        }
        throw new InvalidWorkloadSpecException(
                "--" + option + " must be seq or rnd, got '" + value + "'");
    }
}
