package io.giantvm.engine.control;

import java.util.Map;

/**
 * What the control API reports, supplied by the running engine. Both methods are called from gRPC
 * threads while the engine runs, so implementations must be thread-safe and must not block
 * (read volatile fields or atomic counters; never take a lock a vCPU thread can hold for long).
 */
public interface EngineStatusSource {

    /** A consistent-enough snapshot of this node's state. */
    EngineStatus status();

    /**
     * Monotonic counters since the engine started, by dotted lower-case name
     * ({@code dsm.read_faults}, {@code exit.io}, ...; see control.proto). Values are non-negative.
     */
    Map<String, Long> counters();
}
