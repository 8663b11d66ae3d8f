package io.giantvm.engine.guest;

/** Memory workload: read a prepared block or write it. */
public enum MemoryMode {
    READ("read"),
    WRITE("write");

    private final String cliName;

    MemoryMode(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    static MemoryMode parse(String option, String value) {
        for (MemoryMode v : values()) {
            if (v.cliName.equals(value)) {
                return v;
            }
        }
        throw new InvalidWorkloadSpecException(
                "--" + option + " must be read or write, got '" + value + "'");
    }
}
