package io.giantvm.engine.forward;

/** A forwarded device access got no answer: the node that owns the device is down, wedged or refused it. */
public final class RemoteDeviceException extends RuntimeException {
    public RemoteDeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
