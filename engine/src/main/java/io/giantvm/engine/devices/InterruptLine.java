package io.giantvm.engine.devices;

/** A device's interrupt output, wired to an interrupt controller's input pin. */
@FunctionalInterface
public interface InterruptLine {
    /** A line no controller listens to (the bundled guest polls its devices). */
    InterruptLine NONE = asserted -> { };

    /** The device drives the line: true = asserted (whatever the pin's electrical polarity). */
    void set(boolean asserted);
}
