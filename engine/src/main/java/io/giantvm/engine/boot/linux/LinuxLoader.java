package io.giantvm.engine.boot.linux;

import io.giantvm.engine.memory.GuestLayout;
import io.giantvm.engine.memory.PhysicalMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Does what a 64-bit boot loader does before it jumps to a bzImage (boot protocol, "64-bit boot
 * protocol"): copies the protected-mode kernel to its preferred address, the initrd as high as
 * {@code initrd_addr_max} and the boot range allow, the command line, a zero page with the e820 map and the
 * ACPI RSDP address, a flat GDT and page tables that identity-map the first 4 GiB. The entry
 * state itself (long mode, CR3, RSI) is set by {@link LongModeEntry}.
 *
 * <p>The boot range {@code [0, bootRangeEnd)} is where all of that goes: all of RAM for a flat VM, the boot
 * node's home range when the guest is told each engine node is a NUMA node (so that what node 0 loads and its
 * BSP reads first is local to it, and a page homed on the last node is not written by node 0 before its owner
 * runs). The e820 map still describes all of RAM.
 */
public final class LinuxLoader {
    private static final long PAGE = GuestLayout.PAGE_SIZE;
    // Page-table entry bits.
    private static final long PRESENT = 1;
    private static final long WRITABLE = 1 << 1;
    private static final long LARGE = 1 << 7;
    private static final long TWO_MIB = 2 * GuestLayout.MiB;
    /** Flat descriptors: 64-bit code (L=1, D=0) and read/write data, both base 0 limit 4 GiB, DPL 0. */
    private static final long GDT_CODE64 = 0x00AF_9B00_0000_FFFFL;
    private static final long GDT_DATA = 0x00CF_9300_0000_FFFFL;

    /** What the vCPU needs to start the kernel. */
    public record Entry(long rip, long zeroPage, long pml4, long gdt, int gdtLimit) {}

    private LinuxLoader() {}

    /**
     * Loads everything into all of RAM; the ACPI tables must be written at {@link LinuxLayout#ACPI_TABLES} by the caller.
     *
     * @throws InvalidKernelException when RAM is too small for the kernel's init_size plus the initrd,
     *                                or the command line is longer than the kernel accepts
     */
    public static Entry load(PhysicalMemory memory, BzImage kernel, byte[] initrd, String commandLine) {
        return load(memory, memory.size(), kernel, initrd, commandLine);
    }

    /**
     * Loads everything below {@code bootRangeEnd} (see the class docs).
     *
     * @throws InvalidKernelException when the boot range is too small for the kernel's init_size plus the initrd,
     *                                or the command line is longer than the kernel accepts
     */
    public static Entry load(PhysicalMemory memory, long bootRangeEnd, BzImage kernel, byte[] initrd, String commandLine) {
        long ram = memory.size();
        checkFits(ram, bootRangeEnd, kernel, initrd.length, commandLine);
        long kernelAddress = kernel.preferredAddress();
        long initrdAddress = initrdAddress(bootRangeEnd, kernel, initrd.length);
        byte[] cmd = (commandLine + "\0").getBytes(StandardCharsets.US_ASCII);
        memory.write(kernelAddress, kernel.bytes(), kernel.kernelOffset(), kernel.kernelLength());
        memory.write(initrdAddress, initrd);
        memory.write(LinuxLayout.COMMAND_LINE, cmd);
        memory.write(LinuxLayout.ZERO_PAGE, ZeroPage.build(kernel, LinuxLayout.COMMAND_LINE, initrdAddress, initrd.length,
                e820(ram), LinuxLayout.ACPI_TABLES));
        ByteBuffer gdt = le(4 * 8).putLong(16, GDT_CODE64).putLong(24, GDT_DATA);
        memory.write(LinuxLayout.GDT, gdt.array());
        writeIdentityMap(memory);
        return new Entry(kernelAddress + BzImage.STARTUP_64_OFFSET, LinuxLayout.ZERO_PAGE, LinuxLayout.PML4,
                LinuxLayout.GDT, 4 * 8 - 1);
    }

    /**
     * Whether a VM with {@code ram} bytes can boot this kernel, initrd and command line; callable before any
     * VM exists, so that bad input is refused first.
     *
     * @throws InvalidKernelException saying what is needed
     */
    public static void checkFits(long ram, BzImage kernel, long initrdLength, String commandLine) {
        checkFits(ram, ram, kernel, initrdLength, commandLine);
    }

    /** The same, with everything in the boot range {@code [0, bootRangeEnd)} (see the class docs). */
    public static void checkFits(long ram, long bootRangeEnd, BzImage kernel, long initrdLength, String commandLine) {
        if (bootRangeEnd > ram) {
            throw new IllegalArgumentException("boot range end 0x" + Long.toHexString(bootRangeEnd) + " is beyond RAM ("
                    + ram / GuestLayout.MiB + " MiB)");
        }
        long kernelEnd = kernelEnd(kernel);
        if (kernelEnd > bootRangeEnd || initrdAddress(bootRangeEnd, kernel, initrdLength) < kernelEnd) {
            long needed = roundUp(kernelEnd + roundUp(initrdLength, PAGE), TWO_MIB);
            String what = bootRangeEnd == ram ? "memory %d MiB".formatted(ram / GuestLayout.MiB)
                    : "node 0's home range of %d MiB (of %d MiB; with NUMA on the kernel and initrd go there)"
                            .formatted(bootRangeEnd / GuestLayout.MiB, ram / GuestLayout.MiB);
            throw new InvalidKernelException(("%s is too small for this kernel: it is loaded at %d MiB and needs %d MiB"
                    + " (init_size) above that, plus %d KiB of initrd: at least %d MiB%s")
                    .formatted(what, kernel.preferredAddress() / GuestLayout.MiB, kernel.initSize() / GuestLayout.MiB,
                            initrdLength / 1024, needed / GuestLayout.MiB, bootRangeEnd == ram ? "" : " (or --numa off)"));
        }
        int length = commandLine.getBytes(StandardCharsets.US_ASCII).length;
        if (length > kernel.commandLineMax()) {
            throw new InvalidKernelException("kernel command line is %d bytes; this kernel takes at most %d"
                    .formatted(length, kernel.commandLineMax()));
        }
    }

    private static long kernelEnd(BzImage kernel) {
        return kernel.preferredAddress() + Math.max(kernel.initSize(), kernel.kernelLength());
    }

    /** As high as the boot range and initrd_addr_max allow, page-aligned. */
    private static long initrdAddress(long bootRangeEnd, BzImage kernel, long initrdLength) {
        long top = Math.min(bootRangeEnd, kernel.initrdAddressMax() + 1);
        return (top - initrdLength) & ~(PAGE - 1);
    }

    /** RAM below the legacy hole, the hole and the BIOS area (ACPI tables) reserved, RAM from 1 MiB to the end. */
    static List<E820Entry> e820(long ram) {
        return List.of(
                new E820Entry(0, LinuxLayout.LOW_RAM_END, E820Entry.RAM),
                new E820Entry(LinuxLayout.LOW_RAM_END, LinuxLayout.LEGACY_HOLE_END - LinuxLayout.LOW_RAM_END, E820Entry.RESERVED),
                new E820Entry(LinuxLayout.ACPI_TABLES, LinuxLayout.ACPI_TABLES_END - LinuxLayout.ACPI_TABLES, E820Entry.RESERVED),
                new E820Entry(LinuxLayout.HIGH_RAM_START, ram - LinuxLayout.HIGH_RAM_START, E820Entry.RAM));
    }

    /** PML4[0] -> PDPT; PDPT[i] -> page directory i; each directory maps 1 GiB in 2 MiB pages. */
    private static void writeIdentityMap(PhysicalMemory memory) {
        memory.write(LinuxLayout.PML4, le((int) PAGE).putLong(0, LinuxLayout.PDPT | PRESENT | WRITABLE).array());
        ByteBuffer pdpt = le((int) PAGE);
        for (int g = 0; g < LinuxLayout.IDENTITY_MAPPED_GIB; g++) {
            long directory = LinuxLayout.PAGE_DIRECTORIES + g * PAGE;
            pdpt.putLong(g * 8, directory | PRESENT | WRITABLE);
            ByteBuffer pd = le((int) PAGE);
            for (int i = 0; i < 512; i++) {
                pd.putLong(i * 8, ((long) g * GuestLayout.GiB + i * TWO_MIB) | PRESENT | WRITABLE | LARGE);
            }
            memory.write(directory, pd.array());
        }
        memory.write(LinuxLayout.PDPT, pdpt.array());
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static long roundUp(long v, long to) {
        return (v + to - 1) / to * to;
    }
}
