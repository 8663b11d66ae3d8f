package io.giantvm.engine.mesh;

import java.util.Locale;

/** The {@code transport:} value of the VM description. */
public enum TransportKind {
    TCP,
    RDMA,
    /** Tests only: every node in one JVM. */
    INPROCESS;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Null when {@code text} names no transport. */
    public static TransportKind parse(String text) {
        for (TransportKind k : values()) {
            if (k.yamlName().equals(text)) {
                return k;
            }
        }
        return null;
    }
}
