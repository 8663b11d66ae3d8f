package io.giantvm.engine.guest;

/** Memory workload: each vCPU's own block, or one block shared by all vCPUs. */
public enum MemoryScope {
    LOCAL("local"),
    GLOBAL("global");

    private final String cliName;

    MemoryScope(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    static MemoryScope parse(String option, String value) {
        for (MemoryScope v : values()) {
            if (v.cliName.equals(value)) {
                return v;
            }
        }
        throw new InvalidWorkloadSpecException(
                "--" + option + " must be local or global, got '" + value + "'");
    }
}
