package io.giantvm.engine.vm;

/** A VM that cannot be built as asked: the user's input is wrong, not the engine. */
public final class VmConfigurationException extends RuntimeException {
    public VmConfigurationException(String message) {
        super(message);
    }
}
