package io.giantvm.operator.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * When the VM runs, with KubeVirt's meanings. Whatever stops the VM - the guest halting, the guest
 * failing, a node dying - stops it as a whole (a guest cannot survive losing the part of its memory a
 * node held); the strategy decides what happens next.
 */
public enum RunStrategy {
    /** Restart the whole VM whenever it stops, counted in status.restarts. */
    @JsonProperty("Always") ALWAYS,
    /** Restart it when it fails; once it succeeds: phase Succeeded, pods removed, the result kept. */
    @JsonProperty("RerunOnFailure") RERUN_ON_FAILURE,
    /** Run to completion: phase Succeeded or Failed with the guest's result; pods removed. */
    @JsonProperty("Once") ONCE,
    /** No pods; the resource (and its description) is kept. */
    @JsonProperty("Halted") HALTED
}
