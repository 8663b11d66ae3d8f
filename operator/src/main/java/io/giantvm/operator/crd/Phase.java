package io.giantvm.operator.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The coarse phase shown by {@code kubectl get gvm}; conditions carry the detail.
 * Pending: nothing scheduled yet (or waiting for capable nodes). Scheduling: pods created, not all
 * placed on nodes. Wiring: all placed, not all ready (the readiness probe waits for the full mesh).
 * Running: every node ready. Degraded: was running or trying to, and a node failed or was lost.
 * Failed: the spec cannot be run as written, or (runStrategy Once) the guest failed. Succeeded: the guest
 * ran to completion and succeeded (runStrategy Once or RerunOnFailure). Stopped: runStrategy Halted.
 */
public enum Phase {
    @JsonProperty("Pending") PENDING("Pending"),
    @JsonProperty("Scheduling") SCHEDULING("Scheduling"),
    @JsonProperty("Wiring") WIRING("Wiring"),
    @JsonProperty("Running") RUNNING("Running"),
    @JsonProperty("Degraded") DEGRADED("Degraded"),
    @JsonProperty("Failed") FAILED("Failed"),
    @JsonProperty("Succeeded") SUCCEEDED("Succeeded"),
    @JsonProperty("Stopped") STOPPED("Stopped");

    private final String display;

    Phase(String display) {
        this.display = display;
    }

    public String display() {
        return display;
    }
}
