package io.giantvm.engine.kvm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The vCPU's shared {@code kvm_run} page: why the guest exited and the data of that exit.
 * Read on the vCPU thread right after KVM_RUN returns; offsets are resolved once.
 */
public final class KvmRun {
    private static final long REQUEST_INTERRUPT_WINDOW = KvmLayouts.offset(KvmLayouts.RUN, "request_interrupt_window");
    private static final long IMMEDIATE_EXIT = KvmLayouts.offset(KvmLayouts.RUN, "immediate_exit");
    private static final long EXIT_REASON = KvmLayouts.offset(KvmLayouts.RUN, "exit_reason");
    private static final long READY_FOR_INJECTION = KvmLayouts.offset(KvmLayouts.RUN, "ready_for_interrupt_injection");
    private static final long IF_FLAG = KvmLayouts.offset(KvmLayouts.RUN, "if_flag");
    private static final long IO_DIRECTION = KvmLayouts.offset(KvmLayouts.RUN, "exit", "io", "direction");
    private static final long IO_SIZE = KvmLayouts.offset(KvmLayouts.RUN, "exit", "io", "size");
    private static final long IO_PORT = KvmLayouts.offset(KvmLayouts.RUN, "exit", "io", "port");
    private static final long IO_COUNT = KvmLayouts.offset(KvmLayouts.RUN, "exit", "io", "count");
    private static final long IO_DATA_OFFSET = KvmLayouts.offset(KvmLayouts.RUN, "exit", "io", "data_offset");
    private static final long MMIO_ADDR = KvmLayouts.offset(KvmLayouts.RUN, "exit", "mmio", "phys_addr");
    private static final long MMIO_DATA = KvmLayouts.offset(KvmLayouts.RUN, "exit", "mmio", "data");
    private static final long MMIO_LEN = KvmLayouts.offset(KvmLayouts.RUN, "exit", "mmio", "len");
    private static final long MMIO_IS_WRITE = KvmLayouts.offset(KvmLayouts.RUN, "exit", "mmio", "is_write");
    private static final long FAIL_ENTRY_REASON =
            KvmLayouts.offset(KvmLayouts.RUN, "exit", "fail_entry", "hardware_entry_failure_reason");
    private static final long INTERNAL_SUBERROR = KvmLayouts.offset(KvmLayouts.RUN, "exit", "internal", "suberror");
    private static final long EXCEPTION = KvmLayouts.offset(KvmLayouts.RUN, "exit", "ex", "exception");
    private static final long SYSTEM_EVENT_TYPE = KvmLayouts.offset(KvmLayouts.RUN, "exit", "system_event", "type");

    public static final int IO_IN = 0;
    public static final int IO_OUT = 1;

    private final MemorySegment page;

    KvmRun(MemorySegment page) {
        this.page = page;
    }

    public int exitReason() {
        return page.get(ValueLayout.JAVA_INT, EXIT_REASON);
    }

    public boolean readyForInterruptInjection() {
        return page.get(ValueLayout.JAVA_BYTE, READY_FOR_INJECTION) != 0;
    }

    public boolean interruptsEnabled() {
        return page.get(ValueLayout.JAVA_BYTE, IF_FLAG) != 0;
    }

    /** Asks KVM to exit as soon as the guest can take an interrupt. */
    public void requestInterruptWindow(boolean on) {
        page.set(ValueLayout.JAVA_BYTE, REQUEST_INTERRUPT_WINDOW, (byte) (on ? 1 : 0));
    }

    public void immediateExit(boolean on) {
        page.set(ValueLayout.JAVA_BYTE, IMMEDIATE_EXIT, (byte) (on ? 1 : 0));
    }

    public int ioDirection() {
        return page.get(ValueLayout.JAVA_BYTE, IO_DIRECTION);
    }

    public int ioSize() {
        return page.get(ValueLayout.JAVA_BYTE, IO_SIZE);
    }

    public int ioPort() {
        return Short.toUnsignedInt(page.get(ValueLayout.JAVA_SHORT, IO_PORT));
    }

    public int ioCount() {
        return page.get(ValueLayout.JAVA_INT, IO_COUNT);
    }

    /** Element {@code i} of a port I/O exit's data, which KVM places inside the run page. */
    public long ioData(int i) {
        long off = page.get(ValueLayout.JAVA_LONG, IO_DATA_OFFSET) + (long) i * ioSize();
        return readLittleEndian(off, ioSize());
    }

    public void ioData(int i, long value) {
        long off = page.get(ValueLayout.JAVA_LONG, IO_DATA_OFFSET) + (long) i * ioSize();
        writeLittleEndian(off, ioSize(), value);
    }

    public long mmioAddress() {
        return page.get(ValueLayout.JAVA_LONG, MMIO_ADDR);
    }

    public int mmioLength() {
        return page.get(ValueLayout.JAVA_INT, MMIO_LEN);
    }

    public boolean mmioIsWrite() {
        return page.get(ValueLayout.JAVA_BYTE, MMIO_IS_WRITE) != 0;
    }

    public long mmioData() {
        return readLittleEndian(MMIO_DATA, mmioLength());
    }

    public void mmioData(long value) {
        writeLittleEndian(MMIO_DATA, mmioLength(), value);
    }

    public long failEntryReason() {
        return page.get(ValueLayout.JAVA_LONG, FAIL_ENTRY_REASON);
    }

    public int internalErrorSuberror() {
        return page.get(ValueLayout.JAVA_INT, INTERNAL_SUBERROR);
    }

    public int exceptionVector() {
        return page.get(ValueLayout.JAVA_INT, EXCEPTION);
    }

    public int systemEventType() {
        return page.get(ValueLayout.JAVA_INT, SYSTEM_EVENT_TYPE);
    }

    private long readLittleEndian(long off, int size) {
        return switch (size) {
            case 1 -> Byte.toUnsignedLong(page.get(ValueLayout.JAVA_BYTE, off));
            case 2 -> Short.toUnsignedLong(page.get(ValueLayout.JAVA_SHORT_UNALIGNED, off));
            case 4 -> Integer.toUnsignedLong(page.get(ValueLayout.JAVA_INT_UNALIGNED, off));
            case 8 -> page.get(ValueLayout.JAVA_LONG_UNALIGNED, off);
            default -> throw new IllegalStateException("access width " + size);
        };
    }

    private void writeLittleEndian(long off, int size, long v) {
        switch (size) {
            case 1 -> page.set(ValueLayout.JAVA_BYTE, off, (byte) v);
            case 2 -> page.set(ValueLayout.JAVA_SHORT_UNALIGNED, off, (short) v);
            case 4 -> page.set(ValueLayout.JAVA_INT_UNALIGNED, off, (int) v);
            case 8 -> page.set(ValueLayout.JAVA_LONG_UNALIGNED, off, v);
            default -> throw new IllegalStateException("access width " + size);
        }
    }
}
