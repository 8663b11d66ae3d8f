package io.giantvm.operator.engine;

import io.fabric8.kubernetes.api.model.Pod;

/** Asks a hypervisor pod's engine for its status over the control API. */
public interface EngineStatusProbe extends AutoCloseable {
    /** Never throws for an unreachable engine: the report says why. Bounded in time. */
    EngineReport query(Pod pod);

    @Override
    default void close() {}

    /** For operators configured not to ask engines: readiness alone then speaks for health. */
    EngineStatusProbe DISABLED = pod -> EngineReport.failed("engine queries disabled");
}
