package io.giantvm.engine.boot.linux;

/** A kernel, initrd or memory size the Linux loader cannot boot: bad input, said in one line. */
public final class InvalidKernelException extends RuntimeException {
    public InvalidKernelException(String message) {
        super(message);
    }
}
