package io.giantvm.engine.guest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 64-byte little-endian record a guest vCPU hands over through the bench port. The u64 fields are
 * unsigned; use {@link Long#toUnsignedString(long)} to print them.
 *
 * @param vcpu       APIC id of the reporting vCPU; for {@link ReportKind#SUMMARY} the number of vCPUs
 * @param operations memory: bytes transferred; mutex: lock acquisitions; falseshare/compute: iterations
 * @param tscCycles  rdtsc delta around the workload (summary: the maximum over vCPUs)
 * @param checksum   memory: sum of words; compute: its result; mutex: 0 per vCPU, summary the final
 *                   counter; falseshare: the vCPU's final counter (summary: their sum)
 * @param interrupts interrupts the vCPU took (summary: total)
 * @param extra0     memory: block size; mutex: locks; falseshare: 0 packed / 1 padded
 */
public record ReportRecord(
        ReportKind kind,
        int vcpu,
        Workload workload,
        long operations,
        long tscCycles,
        long checksum,
        long interrupts,
        long extra0,
        long extra1) {

    public static final int SIZE = 64;
    /** "GVMR" in little-endian byte order. */
    public static final int MAGIC = 0x524D5647;

    private static final int OFF_MAGIC = 0;
    private static final int OFF_KIND = 4;
    private static final int OFF_VCPU = 8;
    private static final int OFF_WORKLOAD = 12;
    private static final int OFF_OPERATIONS = 16;
    private static final int OFF_TSC = 24;
    private static final int OFF_CHECKSUM = 32;
    private static final int OFF_INTERRUPTS = 40;
    private static final int OFF_EXTRA0 = 48;
    private static final int OFF_EXTRA1 = 56;

    public ReportRecord {
        if (kind == null || workload == null) {
            throw new NullPointerException("report kind and workload must not be null");
        }
    }

    /**
     * Decodes the record at the buffer's position (the position is not moved).
     *
     * @throws IllegalArgumentException if fewer than 64 bytes remain, or magic, kind or workload are invalid
     */
    public static ReportRecord decode(ByteBuffer buffer) {
        if (buffer.remaining() < SIZE) {
            throw new IllegalArgumentException("report record needs " + SIZE + " bytes, got " + buffer.remaining());
        }
        ByteBuffer b = buffer.slice(buffer.position(), SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(OFF_MAGIC);
        if (magic != MAGIC) {
            throw new IllegalArgumentException(String.format(
                    "bad report magic 0x%08X (expected 0x%08X, \"GVMR\")", magic, MAGIC));
        }
        ReportKind kind = ReportKind.fromCode(b.getInt(OFF_KIND));
        int vcpu = b.getInt(OFF_VCPU);
        if (vcpu < 0 || vcpu > GuestAbi.MAX_VCPUS) {
            throw new IllegalArgumentException("bad report vcpu " + Integer.toUnsignedString(vcpu));
        }
        Workload workload = Workload.fromCode(b.getInt(OFF_WORKLOAD));
        return new ReportRecord(kind, vcpu, workload, b.getLong(OFF_OPERATIONS), b.getLong(OFF_TSC),
                b.getLong(OFF_CHECKSUM), b.getLong(OFF_INTERRUPTS), b.getLong(OFF_EXTRA0), b.getLong(OFF_EXTRA1));
    }

    public static ReportRecord decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }

    /** The record's 64 bytes as the guest lays them out. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(OFF_MAGIC, MAGIC)
                .putInt(OFF_KIND, kind.code())
                .putInt(OFF_VCPU, vcpu)
                .putInt(OFF_WORKLOAD, workload.code())
                .putLong(OFF_OPERATIONS, operations)
                .putLong(OFF_TSC, tscCycles)
                .putLong(OFF_CHECKSUM, checksum)
                .putLong(OFF_INTERRUPTS, interrupts)
                .putLong(OFF_EXTRA0, extra0)
                .putLong(OFF_EXTRA1, extra1);
        return b.array();
    }
}
