package io.giantvm.engine.boot.linux;

import io.giantvm.engine.kvm.Registers;
import io.giantvm.engine.kvm.Segment;
import io.giantvm.engine.kvm.SpecialRegisters;
import io.giantvm.engine.kvm.VcpuFd;

import java.lang.foreign.Arena;

/**
 * The bootstrap processor as the 64-bit boot protocol wants it at {@code startup_64}: long mode with
 * paging on the loader's identity map, CS = __BOOT_CS (64-bit code), DS/ES/SS = __BOOT_DS, the GDT
 * holding both loaded, interrupts off, RSI = the zero page.
 */
public final class LongModeEntry {
    static final long CR0_PE = 1;
    static final long CR0_ET = 1 << 4;
    static final long CR0_PG = 1L << 31;
    static final long CR4_PAE = 1 << 5;
    static final long EFER_LME = 1 << 8;
    static final long EFER_LMA = 1 << 10;

    private LongModeEntry() {}

    public static void enter(VcpuFd bsp, LinuxLoader.Entry entry) {
        try (Arena arena = Arena.ofConfined()) {
            Registers regs = new Registers(arena).clear().rip(entry.rip()).rsi(entry.zeroPage());
            SpecialRegisters sregs = bsp.specialRegisters(new SpecialRegisters(arena));
            Segment code = new Segment(0, 0xFFFF_FFFF, LinuxLayout.BOOT_CS, Segment.TYPE_CODE,
                    true, 0, false, true, true, true, false);
            Segment data = Segment.flat32(LinuxLayout.BOOT_DS, Segment.TYPE_DATA);
            sregs.segments(code, data);
            sregs.descriptorTables(entry.gdt(), entry.gdtLimit(), 0, 0);
            sregs.cr0(CR0_PE | CR0_ET | CR0_PG).cr3(entry.pml4()).cr4(CR4_PAE).efer(EFER_LME | EFER_LMA);
            bsp.setSpecialRegisters(sregs);
            bsp.setRegisters(regs);
        }
    }
}
