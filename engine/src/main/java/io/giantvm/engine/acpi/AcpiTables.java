package io.giantvm.engine.acpi;

import io.giantvm.engine.cpu.ApicIdMap;
import io.giantvm.engine.numa.NumaTopology;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The firmware tables of a hardware-reduced ACPI machine (ACPI 6.5 §4.1): no 8259 PIC, PIT, HPET,
 * PM timer, SCI or sleep registers, so Linux calibrates its local APIC timer against the TSC and
 * routes every interrupt through the I/O APIC.
 *
 * <pre>
 *   RSDP (rev 2, 36 B) -> XSDT -> FADT (rev 6, HW_REDUCED_ACPI, no CMOS RTC, no VGA, no 8042, sleep control and
 *                                       status registers at two I/O ports) -> DSDT (only _S5, for power-off)
 *                             \-> MADT: one enabled Local APIC per vCPU in vCPU order (processor uid = vCPU index,
 *                                       APIC id from {@link ApicIdMap}), one I/O APIC,
 *                                       interrupt source overrides for the ISA IRQs devices use
 *                             \-> SRAT, SLIT: only for a NUMA VM (more than one engine node, NUMA on): each node a
 *                                       proximity domain with its vCPUs and its DSM home range, and their distances
 * </pre>
 * The RSDP comes first, at the given base; every table follows, 16-byte aligned.
 */
public final class AcpiTables {
    static final int RSDP_BYTES = 36;
    static final int RSDP_V1_BYTES = 20;
    static final int FADT_REVISION = 6;
    static final int FADT_BYTES = 276;
    static final int FADT_DSDT = 40;
    static final int FADT_IAPC_BOOT_ARCH = 109;
    static final int FADT_FLAGS = 112;
    static final int FADT_MINOR = 131;
    static final int FADT_X_DSDT = 140;
    static final int FADT_SLEEP_CONTROL = 244;
    static final int FADT_SLEEP_STATUS = 256;
    static final int FADT_HYPERVISOR_ID = 268;
    static final int GAS_SYSTEM_IO = 1;
    /** The DSDT's body: {@code _S5} for power-off, then COM1 as an ACPI device (see {@link Aml}). */
    static final byte[] DSDT_AML = Aml.dsdtBody();
    static final int FLAG_HW_REDUCED_ACPI = 1 << 20;
    static final int FLAG_PWR_BUTTON = 1 << 4;
    static final int FLAG_SLP_BUTTON = 1 << 5;
    static final int BOOT_ARCH_VGA_NOT_PRESENT = 1 << 2;
    static final int BOOT_ARCH_CMOS_RTC_NOT_PRESENT = 1 << 5;
    static final int MADT_PCAT_COMPAT = 1;
    static final int MADT_LOCAL_APIC = 0;
    static final int MADT_IO_APIC = 1;
    static final int MADT_INTERRUPT_OVERRIDE = 2;
    static final int LOCAL_APIC_ENABLED = 1;
    /** MPS INTI flags: active high (01), edge triggered (01 << 2): what ISA interrupts are. */
    static final int ISA_EDGE_HIGH = 0x5;

    /**
     * @param apicIds        the vCPUs and their APIC ids: one Local APIC entry each, in vCPU order
     * @param localApic      the local APICs' guest-physical address
     * @param ioApicId       the I/O APIC's id
     * @param ioApic         its registers' guest-physical address (its GSI base is 0)
     * @param isaIrqs        ISA IRQs to declare, each routed to the I/O APIC pin of the same number
     * @param sleepPort      I/O port of the sleep control register; the status register is the next one
     * @param numa           the proximity domains to declare (SRAT and SLIT), or empty for a flat machine
     */
    public record Machine(ApicIdMap apicIds, long localApic, int ioApicId, long ioApic, int[] isaIrqs, int sleepPort,
                          Optional<NumaTopology> numa) {
        public Machine {
            // The SRAT and the MADT must name the same ids: those a guest told of these domains gets.
            ApicIdMap expected = ApicIdMap.forGuest(numa, apicIds.vcpus());
            if (!expected.equals(apicIds)) {
                throw new IllegalArgumentException(apicIds + " do not match the NUMA topology's " + expected);
            }
        }

        /** {@code vcpus} vCPUs with the APIC ids a guest told of {@code numa} gets. */
        public Machine(int vcpus, long localApic, int ioApicId, long ioApic, int[] isaIrqs, int sleepPort,
                       Optional<NumaTopology> numa) {
            this(ApicIdMap.forGuest(numa, vcpus), localApic, ioApicId, ioApic, isaIrqs, sleepPort, numa);
        }

        /** A flat machine: APIC id = vCPU index, no SRAT, no SLIT. */
        public Machine(int vcpus, long localApic, int ioApicId, long ioApic, int[] isaIrqs, int sleepPort) {
            this(vcpus, localApic, ioApicId, ioApic, isaIrqs, sleepPort, Optional.empty());
        }

        public int vcpus() {
            return apicIds.vcpus();
        }
    }

    private AcpiTables() {}

    /** The tables, laid out from guest-physical {@code base}; write the result there. */
    public static byte[] build(Machine m, long base) {
        // The tables the XSDT points to, after the FADT (which points to the DSDT itself)
        List<byte[]> listed = new ArrayList<>(List.of(madt(m)));
        m.numa().ifPresent(numa -> {
            listed.add(Srat.table(numa, m.apicIds()));
            listed.add(Slit.table(numa));
        });
        long rsdp = base;
        long xsdt = align(rsdp + RSDP_BYTES);
        int xsdtBytes = SdtWriter.HEADER_BYTES + (1 + listed.size()) * 8;
        long fadt = align(xsdt + xsdtBytes);
        long dsdt = align(fadt + FADT_BYTES);
        long[] at = new long[listed.size()];
        long next = dsdt + SdtWriter.HEADER_BYTES + DSDT_AML.length;
        for (int i = 0; i < listed.size(); i++) {
            at[i] = align(next);
            next = at[i] + listed.get(i).length;
        }
        ByteBuffer all = ByteBuffer.allocate((int) (next - base)).order(ByteOrder.LITTLE_ENDIAN);
        all.put((int) (rsdp - base), rsdp(xsdt));
        SdtWriter x = new SdtWriter("XSDT", 1, xsdtBytes);
        x.body().putLong(fadt);
        for (long table : at) {
            x.body().putLong(table);
        }
        all.put((int) (xsdt - base), x.finish());
        all.put((int) (fadt - base), fadt(dsdt, m.sleepPort()));
        SdtWriter d = new SdtWriter("DSDT", 2, SdtWriter.HEADER_BYTES + DSDT_AML.length);
        d.body().put(DSDT_AML);
        all.put((int) (dsdt - base), d.finish());
        for (int i = 0; i < listed.size(); i++) {
            all.put((int) (at[i] - base), listed.get(i));
        }
        return all.array();
    }

    private static byte[] rsdp(long xsdt) {
        ByteBuffer b = ByteBuffer.allocate(RSDP_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(SdtWriter.ascii("RSD PTR ", 8)).put((byte) 0).put(SdtWriter.ascii(SdtWriter.OEM_ID, 6)).put((byte) 2)
                .putInt(0) // no RSDT: XSDT only
                .putInt(RSDP_BYTES).putLong(xsdt);
        byte[] r = b.array();
        r[8] = SdtWriter.checksumFor(r, 0, RSDP_V1_BYTES);
        r[32] = SdtWriter.checksumFor(r, 0, RSDP_BYTES);
        return r;
    }

    private static byte[] fadt(long dsdt, int sleepPort) {
        SdtWriter w = new SdtWriter("FACP", FADT_REVISION, FADT_BYTES);
        ByteBuffer b = w.body();
        b.putInt(FADT_DSDT, (int) dsdt);
        b.putShort(FADT_IAPC_BOOT_ARCH, (short) (BOOT_ARCH_VGA_NOT_PRESENT | BOOT_ARCH_CMOS_RTC_NOT_PRESENT));
        // No fixed power or sleep buttons either: hardware-reduced machines have none unless declared in the DSDT.
        b.putInt(FADT_FLAGS, FLAG_HW_REDUCED_ACPI | FLAG_PWR_BUTTON | FLAG_SLP_BUTTON);
        b.put(FADT_MINOR, (byte) 5);
        b.putLong(FADT_X_DSDT, dsdt);
        gas(b, FADT_SLEEP_CONTROL, sleepPort);
        gas(b, FADT_SLEEP_STATUS, sleepPort + 1);
        b.put(FADT_HYPERVISOR_ID, SdtWriter.ascii("GIANTVM ", 8));
        b.position(FADT_BYTES);
        return w.finish();
    }

    private static byte[] madt(Machine m) {
        SdtWriter w = new SdtWriter("APIC", 5, SdtWriter.HEADER_BYTES + 8 + 8 * m.vcpus() + 12 + 10 * m.isaIrqs().length);
        ByteBuffer b = w.body();
        b.putInt((int) m.localApic()).putInt(0); // flags: not PC-AT compatible (no 8259 to disable)
        for (int vcpu = 0; vcpu < m.vcpus(); vcpu++) { // Linux numbers its CPUs in this order: CPU k is vCPU k
            b.put((byte) MADT_LOCAL_APIC).put((byte) 8).put((byte) vcpu).put((byte) m.apicIds().apicId(vcpu)).putInt(LOCAL_APIC_ENABLED);
        }
        b.put((byte) MADT_IO_APIC).put((byte) 12).put((byte) m.ioApicId()).put((byte) 0).putInt((int) m.ioApic()).putInt(0);
        for (int irq : m.isaIrqs()) {
            b.put((byte) MADT_INTERRUPT_OVERRIDE).put((byte) 10).put((byte) 0).put((byte) irq).putInt(irq)
                    .putShort((short) ISA_EDGE_HIGH);
        }
        return w.finish();
    }

    /** A Generic Address Structure for one byte-wide I/O port. */
    private static void gas(ByteBuffer b, int at, int port) {
        b.put(at, (byte) GAS_SYSTEM_IO).put(at + 1, (byte) 8).put(at + 2, (byte) 0).put(at + 3, (byte) 1).putLong(at + 4, port);
    }

    private static long align(long address) {
        return (address + 15) & ~15L;
    }
}
