package io.giantvm.engine.acpi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few ACPI Machine Language objects the DSDT needs, encoded by hand (ACPI 6.5 §20.2):
 * <pre>
 *   Name (_S5, Package () { 5, 5 })          // SLP_TYP for soft-off: what the OS writes to the sleep control register
 *   Scope (\\_SB) {
 *     Device (COM1) {
 *       Name (_HID, EisaId ("PNP0501"))       // a 16550-compatible UART
 *       Name (_UID, 1)
 *       Name (_CRS, ResourceTemplate () { IO (Decode16, 0x3F8, 0x3F8, 0, 8)  IRQNoFlags () {4} })
 *     }
 *   }
 * </pre>
 * Why COM1 must be declared: without an 8259 PIC, Linux allocates I/O APIC interrupts dynamically, so
 * the serial driver's hard-wired "IRQ 4" names no interrupt and the port's startup fails (console writes
 * from user space then end in EIO). Declared here, the PNP serial driver takes the port over with the
 * interrupt ACPI maps for ISA IRQ 4 (through the MADT override, to I/O APIC pin 4).
 */
final class Aml {
    private static final int NAME_OP = 0x08;
    private static final int SCOPE_OP = 0x10;
    private static final int BUFFER_OP = 0x11;
    private static final int PACKAGE_OP = 0x12;
    private static final int BYTE_PREFIX = 0x0A;
    private static final int DWORD_PREFIX = 0x0C;
    private static final int ONE_OP = 0x01;
    private static final int EXT_OP_PREFIX = 0x5B;
    private static final int DEVICE_OP = 0x82;
    /** EisaId("PNP0501"): three 5-bit letters and a 16-bit product number, stored big-endian. */
    private static final byte[] PNP0501 = {0x41, (byte) 0xD0, 0x05, 0x01};

    private Aml() {}

    /** What the DSDT holds: {@code _S5}, then COM1. */
    static byte[] dsdtBody() {
        return concat(name("_S5_", pkg(PACKAGE_OP, new byte[] {2, BYTE_PREFIX, 5, BYTE_PREFIX, 5})), com1Device());
    }

    /**
     * Scope (\_SB) { Device (COM1) {...} }. Under e2e/qemu-kvm Linux's PNP serial driver takes the port over with
     * a real interrupt ("00:00: ttyS0 at I/O 0x3f8 (irq = 24)"): user-space console writes and the shell work.
     */
    static byte[] com1Device() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] resources = {
            0x47, 0x01, (byte) 0xF8, 0x03, (byte) 0xF8, 0x03, 0x00, 0x08, // IO: decode16, 0x3F8..0x3F8, align 0, 8 ports
            0x22, 0x10, 0x00,                                              // IRQ (no flags): mask bit 4
            0x79, 0x00,                                                    // end tag, checksum 0 = "not computed"
        };
        byte[] crsBody = concat(new byte[] {BYTE_PREFIX, (byte) resources.length}, resources);
        byte[] device = concat(nameString("COM1"),
                name("_HID", concat(new byte[] {DWORD_PREFIX}, PNP0501)),
                name("_UID", new byte[] {ONE_OP}),
                name("_CRS", pkg(BUFFER_OP, crsBody)));
        byte[] deviceOp = concat(new byte[] {EXT_OP_PREFIX}, pkg(DEVICE_OP, device));
        b.writeBytes(pkg(SCOPE_OP, concat(new byte[] {'\\', '_', 'S', 'B', '_'}, deviceOp)));
        return b.toByteArray();
    }

    private static byte[] name(String name, byte[] value) {
        return concat(new byte[] {NAME_OP}, nameString(name), value);
    }

    private static byte[] nameString(String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length != 4) {
            throw new IllegalArgumentException("AML name segments are 4 characters: " + name);
        }
        return n;
    }

    /** {@code op}, a PkgLength covering itself and {@code body}, then body (one- or two-byte PkgLength). */
    static byte[] pkg(int op, byte[] body) {
        int oneByte = body.length + 1;
        if (oneByte <= 0x3F) {
            return concat(new byte[] {(byte) op, (byte) oneByte}, body);
        }
        int length = body.length + 2;
        if (length > 0xFFF) {
            throw new IllegalArgumentException("AML package of " + length + " bytes needs a longer PkgLength");
        }
        return concat(new byte[] {(byte) op, (byte) (0x40 | (length & 0xF)), (byte) (length >> 4)}, body);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
