package io.giantvm.engine.cpu;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of one vCPU. Application processors wait for a STARTUP IPI before they first run;
 * HALTED is a running vCPU that executed HLT and waits for an interrupt.
 */
public enum VcpuState {
    CREATED, WAITING_FOR_SIPI, RUNNING, HALTED, PAUSED, STOPPED;

    /** The states this one may move to; anything else is a bug in the engine. */
    public Set<VcpuState> successors() {
        return switch (this) {
            case CREATED -> EnumSet.of(RUNNING, WAITING_FOR_SIPI, STOPPED);
            case WAITING_FOR_SIPI -> EnumSet.of(RUNNING, WAITING_FOR_SIPI, PAUSED, STOPPED);
            case RUNNING -> EnumSet.of(HALTED, WAITING_FOR_SIPI, PAUSED, STOPPED);
            case HALTED -> EnumSet.of(RUNNING, WAITING_FOR_SIPI, PAUSED, STOPPED);
            case PAUSED -> EnumSet.of(RUNNING, HALTED, WAITING_FOR_SIPI, STOPPED);
            case STOPPED -> EnumSet.noneOf(VcpuState.class);
        };
    }
}
