package io.giantvm.engine.config;

/** The VM description is not acceptable; the message is one line naming the key and what is wrong. */
public class VmDescriptionException extends IllegalArgumentException {
    public VmDescriptionException(String message) {
        super(message);
    }
}
