package io.giantvm.engine.dsm;

/** A fault could not be resolved: a peer is dead, the grant took too long, or the DSM was closed. */
public class DsmFaultException extends RuntimeException {
    public DsmFaultException(String message) {
        super(message);
    }

    public DsmFaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
