package io.giantvm.engine.linux;

/** The default Linux guest cannot be built here (no script, no network to the Debian archive): one line, exit 2. */
public final class DefaultGuestUnavailableException extends RuntimeException {
    public DefaultGuestUnavailableException(String message) {
        super(message);
    }
}
