package io.giantvm.engine.config;

import java.util.Map;

/** The bundled test guest's workload and its options (the CLI's --option values without dashes). */
public record Workload(String name, Map<String, String> options) {
    public static final java.util.List<String> NAMES = java.util.List.of("memory", "mutex", "falseshare", "compute");

    public Workload {
        options = Map.copyOf(options);
    }
}
