package io.giantvm.engine.memory;

/**
 * Every guest-physical address and I/O port the engine uses, in one place. The bundled guest's
 * side of this contract is {@code engine/src/main/guest/CONTRACT.md}.
 */
public final class GuestLayout {
    public static final long PAGE_SIZE = 4096;
    public static final long MiB = 1L << 20;
    public static final long GiB = 1L << 30;

    // --- RAM (guest-physical) ---
    /** Multiboot information structure handed to the guest in EBX. */
    public static final long MULTIBOOT_INFO = 0x7000;
    /** NUL-terminated kernel command line, referenced from the multiboot info. */
    public static final long COMMAND_LINE = 0x7100;
    public static final int COMMAND_LINE_MAX = 0x0F00;
    /** Where the guest copies its real-mode AP trampoline; SIPI vector = this >> 12. */
    public static final long AP_TRAMPOLINE = 0x8000;
    /** Load address of the guest image (1 MiB, as multiboot kernels expect). */
    public static final long IMAGE_BASE = 0x10_0000;
    /** Start of the workloads' data. */
    public static final long WORKLOAD_BASE = 16 * MiB;
    /** Smallest RAM the bundled guest runs in. */
    public static final long MIN_RAM = 32 * MiB;
    /** RAM is one range from 0; it must end below the MMIO hole, where the local APIC lives. */
    public static final long MAX_RAM = 3 * GiB;

    // --- MMIO (guest-physical, no RAM behind it) ---
    public static final long LOCAL_APIC_BASE = 0xFEE0_0000L;
    public static final long LOCAL_APIC_SIZE = 0x1000;
    /** Three pages KVM on Intel uses to emulate real mode for APs; must not overlap RAM or MMIO. */
    public static final long KVM_TSS = 0xFFFB_D000L;

    // --- I/O ports ---
    public static final int UART_COM1 = 0x3F8;
    public static final int UART_PORTS = 8;
    /** A 32-bit write of V ends the VM with guest status V (QEMU's isa-debug-exit at the same port). */
    public static final int DEBUG_EXIT = 0xF4;
    public static final int DEBUG_EXIT_PORTS = 4;
    /** A 32-bit write of a guest-physical address hands the engine a 64-byte report record. */
    public static final int BENCH = 0x0B00;
    public static final int BENCH_PORTS = 4;
    /** Address at +0, then length at +4: the guest will never write that range again (see StaticPagesPort). */
    public static final int STATIC_PAGES = 0x0B10;
    public static final int STATIC_PAGES_PORTS = 8;

    private GuestLayout() {}
}
