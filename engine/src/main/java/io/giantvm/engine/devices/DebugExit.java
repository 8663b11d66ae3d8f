package io.giantvm.engine.devices;

import java.util.function.IntConsumer;

/**
 * The guest's way to end the VM: writing V ends the run with guest status V. Same port and
 * meaning as QEMU's isa-debug-exit, so the bundled guest can also be tested under QEMU.
 */
public final class DebugExit implements BusDevice {
    private final IntConsumer onExit;

    public DebugExit(IntConsumer onExit) {
        this.onExit = onExit;
    }

    @Override
    public long read(int vcpu, long offset, int size) {
        return 0;
    }

    @Override
    public void write(int vcpu, long offset, int size, long value) {
        if (offset == 0) {
            onExit.accept((int) value);
        }
    }
}
