package io.giantvm.engine.guest;

/** Bad workload parameters from a user; the message is one line fit for a CLI error. */
public final class InvalidWorkloadSpecException extends IllegalArgumentException {
    public InvalidWorkloadSpecException(String message) {
        super(message);
    }
}
