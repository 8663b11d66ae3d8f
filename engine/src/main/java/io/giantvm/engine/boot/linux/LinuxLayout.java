package io.giantvm.engine.boot.linux;

import io.giantvm.engine.memory.GuestLayout;

/**
 * Where the Linux loader puts things in guest-physical memory, in one place. Everything the
 * 64-bit boot protocol needs before the kernel runs lives in the first megabyte, below the
 * kernel (loaded at its {@code pref_address}, 16 MiB for Debian's) and the initrd (at the top of RAM, or of node 0's
 * home range under NUMA: {@link LinuxLoader}).
 *
 * <pre>
 *   0x0000_0500  GDT: null, null, __BOOT_CS (0x10, 64-bit code), __BOOT_DS (0x18, data)
 *   0x0000_7000  zero page (struct boot_params)
 *   0x0000_9000  PML4, 0xA000 PDPT, 0xB000..0xEFFF four page directories: 4 GiB identity-mapped in 2 MiB pages
 *   0x0002_0000  kernel command line
 *   0x0009_FC00  .. 0x000A_0000 reserved (where an EBDA would be)
 *   0x000E_0000  ACPI tables (RSDP first), in an e820 "reserved" range up to 1 MiB
 * </pre>
 */
public final class LinuxLayout {
    public static final long GDT = 0x500;
    public static final long ZERO_PAGE = 0x7000;
    public static final long PML4 = 0x9000;
    public static final long PDPT = 0xA000;
    public static final long PAGE_DIRECTORIES = 0xB000;
    /** Gibibytes the boot page tables identity-map (one page directory each). */
    public static final int IDENTITY_MAPPED_GIB = 4;
    public static final long COMMAND_LINE = 0x2_0000;
    /** Conventional memory the e820 map reports below the legacy hole. */
    public static final long LOW_RAM_END = 0x9_FC00;
    public static final long LEGACY_HOLE_END = 0xA_0000;
    /** The ACPI tables and the BIOS area: reserved in the e820 map. */
    public static final long ACPI_TABLES = 0xE_0000;
    public static final long ACPI_TABLES_END = GuestLayout.MiB;
    public static final long HIGH_RAM_START = GuestLayout.MiB;

    /** The boot protocol's flat segments: the kernel's __BOOT_CS and __BOOT_DS. */
    public static final int BOOT_CS = 0x10;
    public static final int BOOT_DS = 0x18;

    /** Where the I/O APIC's registers are (the address every PC firmware uses) and its id. */
    public static final long IOAPIC_BASE = 0xFEC0_0000L;
    public static final long IOAPIC_SIZE = 0x1000;
    public static final int IOAPIC_ID = 0; // as QEMU: I/O APIC ids are their own name space
    public static final int IOAPIC_PINS = 24;
    /** The ACPI sleep control register (power-off) and, at +1, the sleep status register. */
    public static final int ACPI_SLEEP_PORT = 0x0600;
    /** COM1's ISA interrupt, wired to the same I/O APIC pin. */
    public static final int UART_IRQ = 4;

    private LinuxLayout() {}
}
