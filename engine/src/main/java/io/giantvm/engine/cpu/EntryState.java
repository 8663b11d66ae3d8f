package io.giantvm.engine.cpu;

import io.giantvm.engine.kvm.Registers;
import io.giantvm.engine.kvm.Segment;
import io.giantvm.engine.kvm.SpecialRegisters;

/** Architectural register states a vCPU starts from. */
public final class EntryState {
    /** Multiboot v1: EAX holds this magic when the loader hands over. */
    public static final long MULTIBOOT_MAGIC = 0x2BADB002L;
    private static final int FLAT_CODE_SELECTOR = 0x08;
    private static final int FLAT_DATA_SELECTOR = 0x10;
    /** CR0 after INIT: caches disabled, extension type set (SDM vol. 3, table 9-1). */
    private static final long CR0_AFTER_INIT = SpecialRegisters.CR0_CD | SpecialRegisters.CR0_NW | SpecialRegisters.CR0_ET;

    private EntryState() {}

    /**
     * The bootstrap processor as a multiboot v1 loader leaves it: 32-bit protected mode, paging
     * off, flat 4 GiB segments, interrupts off, EAX = magic, EBX = the info structure.
     */
    public static void multiboot(Registers regs, SpecialRegisters sregs, long entry, long infoAddress) {
        regs.clear().rip(entry).rax(MULTIBOOT_MAGIC).rbx(infoAddress);
        sregs.segments(Segment.flat32(FLAT_CODE_SELECTOR, Segment.TYPE_CODE),
                Segment.flat32(FLAT_DATA_SELECTOR, Segment.TYPE_DATA));
        sregs.descriptorTables(0, 0, 0, 0);
        sregs.cr0(SpecialRegisters.CR0_PE | SpecialRegisters.CR0_ET).cr4(0).efer(0);
    }

    /** Puts {@code bsp} at a multiboot kernel's {@code entry}, with the info structure at its usual place. */
    public static void enterMultiboot(io.giantvm.engine.kvm.VcpuFd bsp, long entry) {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            Registers regs = new Registers(arena);
            SpecialRegisters sregs = bsp.specialRegisters(new SpecialRegisters(arena));
            multiboot(regs, sregs, entry, io.giantvm.engine.memory.GuestLayout.MULTIBOOT_INFO);
            bsp.setSpecialRegisters(sregs);
            bsp.setRegisters(regs);
        }
    }

    /**
     * An application processor after INIT and a STARTUP IPI with {@code vector}: real mode,
     * executing at physical {@code vector * 4096} (CS = vector << 8, IP = 0).
     */
    public static void startup(Registers regs, SpecialRegisters sregs, int vector) {
        regs.clear().rip(0);
        sregs.segments(Segment.realMode(vector << 8, Segment.TYPE_CODE), Segment.realMode(0, Segment.TYPE_DATA));
        sregs.descriptorTables(0, 0xFFFF, 0, 0xFFFF);
        sregs.cr0(CR0_AFTER_INIT).cr4(0).efer(0);
    }
}
