package io.giantvm.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The image the build produced is a flat multiboot image laid out as CONTRACT.md says. */
class GuestImageTest {

    @Test
    void bundledImageHasAValidAoutKludgeHeader() throws Exception {
        byte[] image = GuestSources.image();
        MultibootHeader h = MultibootHeader.find(image);
        assertThat(h.flags() & MultibootHeader.FLAG_AOUT_KLUDGE).isNotZero();
        assertThat(h.flags() & MultibootHeader.FLAG_MEMORY_INFO).isNotZero();
        assertThat(h.loadAddress()).isEqualTo(GuestAbi.LOAD_ADDRESS);
        assertThat(h.loadBytes()).isEqualTo(image.length);
        assertThat(h.bssEnd()).isLessThanOrEqualTo(GuestAbi.IMAGE_MAX_END);
        assertThat(h.entry()).isBetween(h.loadAddress(), h.loadEnd() - 1);
    }

    @Test
    void headerParserRejectsBrokenImages() {
        byte[] noHeader = new byte[8192];
        assertThatThrownBy(() -> MultibootHeader.find(noHeader)).hasMessageContaining("no Multiboot v1 header");

        ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        int flags = MultibootHeader.FLAG_MEMORY_INFO;   // an ELF-style header: no a.out kludge
        b.putInt(8, MultibootHeader.MAGIC).putInt(12, flags).putInt(16, -(MultibootHeader.MAGIC + flags));
        assertThatThrownBy(() -> MultibootHeader.find(b.array())).hasMessageContaining("a.out kludge");

        ByteBuffer c = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        int kludge = MultibootHeader.FLAG_AOUT_KLUDGE;
        c.putInt(0, MultibootHeader.MAGIC).putInt(4, kludge).putInt(8, -(MultibootHeader.MAGIC + kludge))
                .putInt(12, 0x100000).putInt(16, 0x100000).putInt(20, 0x100000 + 8192).putInt(24, 0x100000 + 8192)
                .putInt(28, 0x100010);
        assertThatThrownBy(() -> MultibootHeader.find(c.array())).hasMessageContaining("outside the image file");
    }
}
