package io.giantvm.engine.cli;

/** The user asked for something that cannot be done; printed as one line, exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
