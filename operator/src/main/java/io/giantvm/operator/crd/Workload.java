package io.giantvm.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

import java.util.Map;

/** Which workload the bundled test guest runs, and its options (the CLI's --option values without dashes). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Workload {
    @Required
    @JsonPropertyDescription("memory, mutex, falseshare or compute.")
    public WorkloadName name;

    @JsonPropertyDescription("Option name to value, both strings.")
    public Map<String, String> options;
}
