package io.giantvm.engine.acpi;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Parses the tables back the way an OS does: RSDP -> XSDT -> each table, checking signatures, lengths, sums. */
class AcpiTablesTest {
    private static final long BASE = 0xE0000;
    private static final AcpiTables.Machine MACHINE = new AcpiTables.Machine(3, 0xFEE0_0000L, 0, 0xFEC0_0000L, new int[] {4}, 0x600);

    private final byte[] tables = AcpiTables.build(MACHINE, BASE);
    private final ByteBuffer b = ByteBuffer.wrap(tables).order(ByteOrder.LITTLE_ENDIAN);

    @Test
    void rsdpIsVersion2WithBothChecksumsAndPointsAtTheXsdt() {
        assertThat(ascii(0, 8)).isEqualTo("RSD PTR ");
        assertThat(sum(0, 20)).isZero();
        assertThat(sum(0, 36)).isZero();
        assertThat(b.get(15)).isEqualTo((byte) 2);
        assertThat(b.getInt(16)).isZero(); // no RSDT
        assertThat(b.getInt(20)).isEqualTo(36);
        assertThat(table(b.getLong(24))).isEqualTo("XSDT");
    }

    @Test
    void everyTableHasItsLengthAndAZeroSum() {
        for (long at : all()) {
            int off = (int) (at - BASE);
            int length = b.getInt(off + 4);
            assertThat(off + length).isLessThanOrEqualTo(tables.length);
            assertThat(sum(off, length)).as(table(at)).isZero();
        }
        assertThat(all().stream().map(this::table)).containsExactly("XSDT", "FACP", "APIC", "DSDT");
    }

    @Test
    void fadtIsHardwareReducedRevision6WithSleepRegistersAndADsdtNamingS5() {
        int fadt = (int) (xsdtEntries().get(0) - BASE);
        assertThat(b.getInt(fadt + 4)).isEqualTo(276);
        assertThat(b.get(fadt + 8)).isEqualTo((byte) 6);
        assertThat(b.getInt(fadt + 112) & (1 << 20)).isNotZero();
        assertThat(b.getShort(fadt + 109) & (1 << 5)).as("no CMOS RTC").isNotZero();
        assertThat(b.getShort(fadt + 109) & (1 << 1)).as("no 8042").isZero();
        long dsdt = b.getLong(fadt + 140);
        assertThat(Integer.toUnsignedLong(b.getInt(fadt + 40))).isEqualTo(dsdt);
        assertThat(table(dsdt)).isEqualTo("DSDT");
        assertThat(b.getInt((int) (dsdt - BASE) + 4)).isEqualTo(36 + AcpiTables.DSDT_AML.length);
        assertThat(ascii((int) (dsdt - BASE) + 37, 4)).isEqualTo("_S5_");
        // sleep control and status: byte-wide System I/O registers at 0x600 and 0x601
        assertThat(b.get(fadt + 244)).isEqualTo((byte) 1);
        assertThat(b.getLong(fadt + 248)).isEqualTo(0x600);
        assertThat(b.getLong(fadt + 260)).isEqualTo(0x601);
    }

    @Test
    void madtHasOneEnabledLocalApicPerVcpuTheIoApicAndTheUartOverride() {
        int madt = (int) (xsdtEntries().get(1) - BASE);
        int length = b.getInt(madt + 4);
        assertThat(Integer.toUnsignedLong(b.getInt(madt + 36))).isEqualTo(0xFEE0_0000L);
        assertThat(b.getInt(madt + 40) & 1).as("no PC-AT 8259 pair").isZero();
        List<Integer> apicIds = new ArrayList<>();
        int ioApics = 0;
        int overrides = 0;
        for (int at = madt + 44; at < madt + length; at += Byte.toUnsignedInt(b.get(at + 1))) {
            switch (b.get(at)) {
                case 0 -> {
                    assertThat(b.getInt(at + 4) & 1).isEqualTo(1);
                    apicIds.add(Byte.toUnsignedInt(b.get(at + 3)));
                }
                case 1 -> {
                    ioApics++;
                    assertThat(Integer.toUnsignedLong(b.getInt(at + 4))).isEqualTo(0xFEC0_0000L);
                    assertThat(b.getInt(at + 8)).isZero(); // GSI base
                }
                case 2 -> {
                    overrides++;
                    assertThat(b.get(at + 3)).isEqualTo((byte) 4); // ISA IRQ 4
                    assertThat(b.getInt(at + 4)).isEqualTo(4);     // GSI 4
                    assertThat(b.getShort(at + 8)).isEqualTo((short) 5); // edge, active high
                }
                default -> throw new AssertionError("unexpected MADT entry type " + b.get(at));
            }
        }
        assertThat(apicIds).containsExactly(0, 1, 2);
        assertThat(ioApics).isEqualTo(1);
        assertThat(overrides).isEqualTo(1);
    }

    @Test
    void tablesFitBelowOneMegabyteFor64Vcpus() {
        byte[] big = AcpiTables.build(new AcpiTables.Machine(64, 0xFEE0_0000L, 0, 0xFEC0_0000L, new int[] {4}, 0x600), BASE);
        assertThat(BASE + big.length).isLessThan(0x10_0000);
    }

    private List<Long> xsdtEntries() {
        int xsdt = (int) (b.getLong(24) - BASE);
        int n = (b.getInt(xsdt + 4) - 36) / 8;
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(b.getLong(xsdt + 36 + 8 * i));
        }
        return out;
    }

    private List<Long> all() {
        List<Long> out = new ArrayList<>();
        out.add(b.getLong(24));
        out.addAll(xsdtEntries());
        out.add(b.getLong((int) (xsdtEntries().get(0) - BASE) + 140));
        return out;
    }

    private String table(long address) {
        return ascii((int) (address - BASE), 4);
    }

    private String ascii(int off, int n) {
        return new String(tables, off, n, StandardCharsets.US_ASCII);
    }

    private int sum(int off, int n) {
        int s = 0;
        for (int i = off; i < off + n; i++) {
            s += tables[i];
        }
        return s & 0xFF;
    }
}
