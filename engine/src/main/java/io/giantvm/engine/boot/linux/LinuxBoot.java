package io.giantvm.engine.boot.linux;

import io.giantvm.engine.acpi.AcpiTables;
import io.giantvm.engine.cpu.ApicIdMap;
import io.giantvm.engine.kvm.SpecialRegisters;
import io.giantvm.engine.kvm.VcpuFd;
import io.giantvm.engine.memory.GuestLayout;
import io.giantvm.engine.memory.PhysicalMemory;
import io.giantvm.engine.numa.NumaTopology;

import java.lang.foreign.Arena;
import java.util.List;
import java.util.Optional;

/** Everything a VM needs before its first vCPU enters a Linux kernel: firmware tables, the loaded kernel, CPU state. */
public final class LinuxBoot {
    /** IA32_APIC_BASE: global enable (bit 11); bit 8 marks the bootstrap processor. */
    static final long APIC_BASE_ENABLE = 1 << 11;
    static final long APIC_BASE_BSP = 1 << 8;

    private LinuxBoot() {}

    /**
     * A VM on one node: every vCPU is here.
     *
     * @param fds the vCPUs in index order (APIC id = index); the first one boots, the others wait for INIT/SIPI
     */
    public static void prepare(PhysicalMemory memory, LinuxGuest guest, String commandLine, List<VcpuFd> fds) {
        prepare(memory, guest, commandLine, fds, ApicIdMap.flat(fds.size()), Optional.empty());
    }

    /**
     * @param fds     the vCPUs in index order; the first one boots, the others wait for INIT/SIPI
     * @param apicIds their APIC ids, as their CPUID and local APICs have them
     * @param numa    the proximity domains the ACPI tables declare (SRAT, SLIT), or empty for a flat machine
     */
    public static void prepare(PhysicalMemory memory, LinuxGuest guest, String commandLine, List<VcpuFd> fds,
                               ApicIdMap apicIds, Optional<NumaTopology> numa) {
        LinuxLoader.Entry entry = load(memory, guest, commandLine, apicIds, numa);
        setApicBases(fds);
        LongModeEntry.enter(fds.getFirst(), entry);
    }

    /**
     * The boot node's part: kernel, initrd, command line, zero page, page tables and the ACPI tables describing
     * the CPUs of every node (with the APIC ids {@code apicIds} gives them) and {@code numa}'s domains, all written
     * through {@code memory}, and with NUMA all in domain 0's memory ({@link NumaTopology#bootRangeEnd}). Returns where
     * the BSP starts.
     */
    public static LinuxLoader.Entry load(PhysicalMemory memory, LinuxGuest guest, String commandLine, ApicIdMap apicIds,
                                         Optional<NumaTopology> numa) {
        LinuxLoader.Entry entry = LinuxLoader.load(memory, numa.map(NumaTopology::bootRangeEnd).orElse(memory.size()),
                guest.kernel(), guest.initrd(), commandLine);
        AcpiTables.Machine machine = new AcpiTables.Machine(apicIds, GuestLayout.LOCAL_APIC_BASE,
                LinuxLayout.IOAPIC_ID, LinuxLayout.IOAPIC_BASE, new int[] {LinuxLayout.UART_IRQ}, LinuxLayout.ACPI_SLEEP_PORT, numa);
        byte[] tables = AcpiTables.build(machine, LinuxLayout.ACPI_TABLES);
        if (LinuxLayout.ACPI_TABLES + tables.length > LinuxLayout.ACPI_TABLES_END) {
            throw new IllegalStateException("ACPI tables of " + tables.length + " bytes overflow their reserved range");
        }
        memory.write(LinuxLayout.ACPI_TABLES, tables);
        return entry;
    }

    /** Every node's part: its vCPUs find their local APIC enabled at the usual base; vCPU 0 (APIC id 0) is the BSP. */
    public static void setApicBases(List<VcpuFd> fds) {
        for (VcpuFd fd : fds) {
            setApicBase(fd, GuestLayout.LOCAL_APIC_BASE | APIC_BASE_ENABLE | (fd.id() == 0 ? APIC_BASE_BSP : 0));
        }
    }

    /** KVM keeps IA32_APIC_BASE even without an in-kernel APIC; Linux reads it to find its APIC enabled. */
    private static void setApicBase(VcpuFd fd, long value) {
        try (Arena arena = Arena.ofConfined()) {
            SpecialRegisters sregs = fd.specialRegisters(new SpecialRegisters(arena));
            fd.setSpecialRegisters(sregs.apicBase(value));
        }
    }
}
