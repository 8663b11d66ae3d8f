package io.giantvm.engine.acpi;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class AmlTest {
    private final byte[] aml = Aml.com1Device();

    @Test
    void theDsdtNamesS5ForSoftOffThenDeclaresCom1() {
        // Name(_S5_, Package(2){ 5, 5 })
        byte[] s5 = {0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0A, 0x05, 0x0A, 0x05};
        byte[] body = Aml.dsdtBody();
        assertThat(java.util.Arrays.copyOfRange(body, 0, s5.length)).containsExactly(s5);
        assertThat(java.util.Arrays.copyOfRange(body, s5.length, body.length))
                .as("without COM1 the serial port has no usable interrupt").containsExactly(aml);
    }

    @Test
    void com1ScopeLengthCoversTheDevice() {
        assertThat(aml[0]).as("ScopeOp").isEqualTo((byte) 0x10);
        int pkgLength = aml[1] & 0x3F; // one-byte PkgLength: counts itself and what follows
        assertThat(1 + pkgLength).isEqualTo(aml.length);
        assertThat(new String(aml, 2, 5, StandardCharsets.US_ASCII)).isEqualTo("\\_SB_");
    }

    @Test
    void com1IsAPnp0501DeviceWithPort3f8AndIrq4() {
        String text = new String(aml, StandardCharsets.ISO_8859_1);
        int device = text.indexOf("\u005B\u0082");
        assertThat(device).isPositive();
        assertThat(text.substring(device + 3, device + 7)).isEqualTo("COM1");
        assertThat(aml[device + 2] & 0x3F).as("device PkgLength").isEqualTo(aml.length - device - 2);
        int hid = text.indexOf("_HID");
        assertThat(java.util.Arrays.copyOfRange(aml, hid + 4, hid + 9)).containsExactly(0x0C, 0x41, 0xD0, 0x05, 0x01);
        int crs = text.indexOf("_CRS");
        // Buffer(13) { IO(Decode16, 0x3F8, 0x3F8, 0, 8), IRQNoFlags(){4}, EndTag }
        assertThat(java.util.Arrays.copyOfRange(aml, crs + 4, crs + 8)).containsExactly(0x11, 0x10, 0x0A, 0x0D);
        assertThat(java.util.Arrays.copyOfRange(aml, crs + 8, crs + 21))
                .containsExactly(0x47, 0x01, 0xF8, 0x03, 0xF8, 0x03, 0x00, 0x08, 0x22, 0x10, 0x00, 0x79, 0x00);
    }

    @Test
    void longPackagesGetATwoBytePkgLength() {
        byte[] p = Aml.pkg(0x12, new byte[100]);
        assertThat(p[1] & 0xC0).isEqualTo(0x40);
        assertThat((p[1] & 0x0F) | (p[2] & 0xFF) << 4).isEqualTo(102);
        assertThat(p).hasSize(103);
    }
}
