package io.giantvm.operator.crd;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether the VM should run; Halted keeps the resource (and its description) but no pods. */
public enum RunStrategy {
    @JsonProperty("Always") ALWAYS,
    @JsonProperty("Halted") HALTED
}
