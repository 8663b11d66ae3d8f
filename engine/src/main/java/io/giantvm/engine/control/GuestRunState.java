package io.giantvm.engine.control;

import io.giantvm.control.v1.GuestState;

/** The guest's life as seen by one engine; mirrors {@link GuestState} of the control API. */
public enum GuestRunState {
    STARTING(GuestState.GUEST_STATE_STARTING),
    WAITING_FOR_PEERS(GuestState.GUEST_STATE_WAITING_FOR_PEERS),
    RUNNING(GuestState.GUEST_STATE_RUNNING),
    PAUSED(GuestState.GUEST_STATE_PAUSED),
    HALTED(GuestState.GUEST_STATE_HALTED),
    FAILED(GuestState.GUEST_STATE_FAILED);

    private final GuestState wire;

    GuestRunState(GuestState wire) {
        this.wire = wire;
    }

    GuestState toWire() {
        return wire;
    }
}
