package io.giantvm.engine.memory;

/** The guest (or a loader) named memory outside guest RAM. */
public final class GuestAddressException extends RuntimeException {
    public GuestAddressException(long gpa, int length, long ramSize) {
        super("guest-physical range 0x%x+%d lies outside guest RAM (0x0-0x%x)".formatted(gpa, length, ramSize - 1));
    }
}
