package io.giantvm.engine.devices;

import io.giantvm.engine.memory.PhysicalMemory;

/**
 * How guest workloads hand over their results: a 32-bit write of the guest-physical address of a
 * {@value #RECORD_BYTES}-byte record. One port write per report keeps the guest's exits (each
 * ~29 µs on the target host) out of the measured work.
 */
public final class BenchDevice implements BusDevice {
    public static final int RECORD_BYTES = 64;

    /** Receives each record as the guest wrote it. */
    public interface ReportSink {
        void report(int vcpu, byte[] record);
    }

    private final PhysicalMemory memory;
    private final ReportSink sink;

    public BenchDevice(PhysicalMemory memory, ReportSink sink) {
        this.memory = memory;
        this.sink = sink;
    }

    @Override
    public long read(int vcpu, long offset, int size) {
        return 0;
    }

    @Override
    public void write(int vcpu, long offset, int size, long value) {
        if (offset == 0 && size == 4) {
            sink.report(vcpu, memory.read(Integer.toUnsignedLong((int) value), RECORD_BYTES));
        }
    }
}
