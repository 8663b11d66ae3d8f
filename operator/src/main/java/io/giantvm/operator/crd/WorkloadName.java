package io.giantvm.operator.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The bundled test guest's workloads (see the engine's guest sources). */
public enum WorkloadName {
    @JsonProperty("memory") MEMORY("memory"),
    @JsonProperty("mutex") MUTEX("mutex"),
    @JsonProperty("falseshare") FALSESHARE("falseshare"),
    @JsonProperty("compute") COMPUTE("compute");

    private final String wire;

    WorkloadName(String wire) {
        this.wire = wire;
    }

    /** The name as the VM description and the CLI spell it. */
    public String wire() {
        return wire;
    }
}
