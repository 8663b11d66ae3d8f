package io.giantvm.engine.kvm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A {@code kvm_segment}: a segment register's hidden descriptor cache as KVM exposes it. */
public record Segment(long base, int limit, int selector, int type, boolean present, int dpl,
                      boolean db, boolean s, boolean l, boolean g, boolean unusable) {
    private static final long BASE = KvmLayouts.offset(KvmLayouts.SEGMENT, "base");
    private static final long LIMIT = KvmLayouts.offset(KvmLayouts.SEGMENT, "limit");
    private static final long SELECTOR = KvmLayouts.offset(KvmLayouts.SEGMENT, "selector");
    private static final long TYPE = KvmLayouts.offset(KvmLayouts.SEGMENT, "type");
    private static final long PRESENT = KvmLayouts.offset(KvmLayouts.SEGMENT, "present");
    private static final long DPL = KvmLayouts.offset(KvmLayouts.SEGMENT, "dpl");
    private static final long DB = KvmLayouts.offset(KvmLayouts.SEGMENT, "db");
    private static final long S = KvmLayouts.offset(KvmLayouts.SEGMENT, "s");
    private static final long L = KvmLayouts.offset(KvmLayouts.SEGMENT, "l");
    private static final long G = KvmLayouts.offset(KvmLayouts.SEGMENT, "g");
    private static final long UNUSABLE = KvmLayouts.offset(KvmLayouts.SEGMENT, "unusable");

    /** Type 0xB: execute/read code, accessed. */
    public static final int TYPE_CODE = 0xB;
    /** Type 0x3: read/write data, accessed. */
    public static final int TYPE_DATA = 0x3;
    /** Type 0xB in a system descriptor: busy 32/64-bit TSS, which VM entry insists on for TR. */
    public static final int TYPE_BUSY_TSS = 0xB;
    /** Type 0x2 in a system descriptor: LDT. */
    public static final int TYPE_LDT = 0x2;

    /** A flat 4 GiB 32-bit segment, as the multiboot protocol hands over. */
    public static Segment flat32(int selector, int type) {
        return new Segment(0, 0xFFFF_FFFF, selector, type, true, 0, true, true, false, true, false);
    }

    /** A real-mode segment: base = selector * 16, 64 KiB limit. */
    public static Segment realMode(int selector, int type) {
        return new Segment((long) selector << 4, 0xFFFF, selector, type, true, 0, false, true, false, false, false);
    }

    public static Segment tss() {
        return new Segment(0, 0xFFFF, 0, TYPE_BUSY_TSS, true, 0, false, false, false, false, false);
    }

    public static Segment ldt() {
        return new Segment(0, 0xFFFF, 0, TYPE_LDT, true, 0, false, false, false, false, false);
    }

    static Segment read(MemorySegment m) {
        return new Segment(m.get(ValueLayout.JAVA_LONG, BASE), m.get(ValueLayout.JAVA_INT, LIMIT),
                Short.toUnsignedInt(m.get(ValueLayout.JAVA_SHORT, SELECTOR)),
                m.get(ValueLayout.JAVA_BYTE, TYPE), m.get(ValueLayout.JAVA_BYTE, PRESENT) != 0,
                m.get(ValueLayout.JAVA_BYTE, DPL), m.get(ValueLayout.JAVA_BYTE, DB) != 0,
                m.get(ValueLayout.JAVA_BYTE, S) != 0, m.get(ValueLayout.JAVA_BYTE, L) != 0,
                m.get(ValueLayout.JAVA_BYTE, G) != 0, m.get(ValueLayout.JAVA_BYTE, UNUSABLE) != 0);
    }

    void write(MemorySegment m) {
        m.fill((byte) 0);
        m.set(ValueLayout.JAVA_LONG, BASE, base);
        m.set(ValueLayout.JAVA_INT, LIMIT, limit);
        m.set(ValueLayout.JAVA_SHORT, SELECTOR, (short) selector);
        m.set(ValueLayout.JAVA_BYTE, TYPE, (byte) type);
        m.set(ValueLayout.JAVA_BYTE, PRESENT, (byte) (present ? 1 : 0));
        m.set(ValueLayout.JAVA_BYTE, DPL, (byte) dpl);
        m.set(ValueLayout.JAVA_BYTE, DB, (byte) (db ? 1 : 0));
        m.set(ValueLayout.JAVA_BYTE, S, (byte) (s ? 1 : 0));
        m.set(ValueLayout.JAVA_BYTE, L, (byte) (l ? 1 : 0));
        m.set(ValueLayout.JAVA_BYTE, G, (byte) (g ? 1 : 0));
        m.set(ValueLayout.JAVA_BYTE, UNUSABLE, (byte) (unusable ? 1 : 0));
    }
}
