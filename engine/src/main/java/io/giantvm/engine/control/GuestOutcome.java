package io.giantvm.engine.control;

import java.util.Objects;

/**
 * How the guest ended, as a node that stays up after it reports it (control.proto's GuestOutcome).
 *
 * @param succeeded  status 0 and, where this node can check them, results that match the host's
 * @param exitStatus what the guest wrote to its debug-exit port, or -1 when it never did
 * @param result     one line: the guest's result or why it failed
 */
public record GuestOutcome(boolean succeeded, int exitStatus, String result) {
    public GuestOutcome {
        Objects.requireNonNull(result, "result");
    }

    io.giantvm.control.v1.GuestOutcome toWire() {
        return io.giantvm.control.v1.GuestOutcome.newBuilder().setSucceeded(succeeded).setExitStatus(exitStatus)
                .setResult(result).build();
    }
}
