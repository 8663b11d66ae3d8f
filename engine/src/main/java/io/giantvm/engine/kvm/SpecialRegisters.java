package io.giantvm.engine.kvm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A {@code kvm_sregs} buffer: segment registers, descriptor tables, control registers, EFER. */
public final class SpecialRegisters {
    public enum SegmentRegister { CS, DS, ES, FS, GS, SS, TR, LDT }

    private static final long CR0 = KvmLayouts.offset(KvmLayouts.SREGS, "cr0");
    private static final long CR3 = KvmLayouts.offset(KvmLayouts.SREGS, "cr3");
    private static final long CR4 = KvmLayouts.offset(KvmLayouts.SREGS, "cr4");
    private static final long EFER = KvmLayouts.offset(KvmLayouts.SREGS, "efer");
    private static final long APIC_BASE = KvmLayouts.offset(KvmLayouts.SREGS, "apic_base");
    private static final long GDT = KvmLayouts.offset(KvmLayouts.SREGS, "gdt");
    private static final long IDT = KvmLayouts.offset(KvmLayouts.SREGS, "idt");
    private static final long DTABLE_LIMIT = KvmLayouts.offset(KvmLayouts.DTABLE, "limit");

    public static final long CR0_PE = 1L;
    public static final long CR0_ET = 1L << 4;
    public static final long CR0_NW = 1L << 29;
    public static final long CR0_CD = 1L << 30;

    final MemorySegment buffer;

    public SpecialRegisters(Arena arena) {
        buffer = arena.allocate(KvmLayouts.SREGS);
    }

    public Segment segment(SegmentRegister r) {
        return Segment.read(slice(r));
    }

    public SpecialRegisters segment(SegmentRegister r, Segment s) {
        s.write(slice(r));
        return this;
    }

    public long cr0() {
        return buffer.get(ValueLayout.JAVA_LONG, CR0);
    }

    public SpecialRegisters cr0(long v) {
        buffer.set(ValueLayout.JAVA_LONG, CR0, v);
        return this;
    }

    public long cr3() {
        return buffer.get(ValueLayout.JAVA_LONG, CR3);
    }

    public SpecialRegisters cr3(long v) {
        buffer.set(ValueLayout.JAVA_LONG, CR3, v);
        return this;
    }

    public long cr4() {
        return buffer.get(ValueLayout.JAVA_LONG, CR4);
    }

    public SpecialRegisters cr4(long v) {
        buffer.set(ValueLayout.JAVA_LONG, CR4, v);
        return this;
    }

    public long efer() {
        return buffer.get(ValueLayout.JAVA_LONG, EFER);
    }

    public SpecialRegisters efer(long v) {
        buffer.set(ValueLayout.JAVA_LONG, EFER, v);
        return this;
    }

    /** IA32_APIC_BASE as KVM keeps it (without an in-kernel APIC too): what the guest's RDMSR 0x1B returns. */
    public SpecialRegisters apicBase(long v) {
        buffer.set(ValueLayout.JAVA_LONG, APIC_BASE, v);
        return this;
    }

    /** CS, one descriptor for every data segment register, and the system segments (TR, LDT) VM entry checks. */
    public SpecialRegisters segments(Segment code, Segment data) {
        segment(SegmentRegister.CS, code);
        for (SegmentRegister r : new SegmentRegister[] {
                SegmentRegister.DS, SegmentRegister.ES, SegmentRegister.FS, SegmentRegister.GS, SegmentRegister.SS}) {
            segment(r, data);
        }
        segment(SegmentRegister.TR, Segment.tss());
        return segment(SegmentRegister.LDT, Segment.ldt());
    }

    /** Sets GDTR and IDTR; the guest loads its own tables, so the entry state only needs them empty. */
    public SpecialRegisters descriptorTables(long gdtBase, int gdtLimit, long idtBase, int idtLimit) {
        buffer.set(ValueLayout.JAVA_LONG, GDT, gdtBase);
        buffer.set(ValueLayout.JAVA_SHORT, GDT + DTABLE_LIMIT, (short) gdtLimit);
        buffer.set(ValueLayout.JAVA_LONG, IDT, idtBase);
        buffer.set(ValueLayout.JAVA_SHORT, IDT + DTABLE_LIMIT, (short) idtLimit);
        return this;
    }

    private MemorySegment slice(SegmentRegister r) {
        long off = KvmLayouts.offset(KvmLayouts.SREGS, r.name().toLowerCase(java.util.Locale.ROOT));
        return buffer.asSlice(off, KvmLayouts.SEGMENT.byteSize());
    }
}
