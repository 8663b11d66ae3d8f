package io.giantvm.engine.boot;

import io.giantvm.engine.memory.GuestLayout;
import io.giantvm.engine.memory.GuestMemory;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MultibootLoaderTest {
    /** A 64-byte image: 16 bytes of code, the header at offset 16, loaded at 1 MiB with 4 KiB of bss. */
    private static byte[] image(int flags, int checksumDelta, long entry) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 16; i++) {
            b.put(i, (byte) (0xA0 + i));
        }
        long base = GuestLayout.IMAGE_BASE;
        b.putInt(16, MultibootImage.MAGIC);
        b.putInt(20, flags);
        b.putInt(24, -(MultibootImage.MAGIC + flags) + checksumDelta);
        b.putInt(28, (int) (base + 16)); // header_addr
        b.putInt(32, (int) base);        // load_addr
        b.putInt(36, (int) (base + 64)); // load_end_addr
        b.putInt(40, (int) (base + 64 + 4096)); // bss_end_addr
        b.putInt(44, (int) entry);
        for (int i = 48; i < 64; i++) {
            b.put(i, (byte) 0xEE);
        }
        return b.array();
    }

    @Test
    void loadsTheImageClearsBssAndWritesInfoAndCommandLine() {
        try (GuestMemory memory = new GuestMemory(64 * GuestLayout.MiB)) {
            memory.write(GuestLayout.IMAGE_BASE + 64, new byte[] {1, 2, 3}); // stale bytes where bss goes
            MultibootImage img = MultibootImage.parse(image(0x10002, 0, GuestLayout.IMAGE_BASE + 4));
            long entry = MultibootLoader.load(memory, img, "vcpus=2 workload=mutex");

            assertThat(entry).isEqualTo(GuestLayout.IMAGE_BASE + 4);
            assertThat(memory.read(GuestLayout.IMAGE_BASE, 2)).containsExactly(0xA0, 0xA1);
            assertThat(memory.read(GuestLayout.IMAGE_BASE + 64, 3)).containsExactly(0, 0, 0);
            ByteBuffer info = ByteBuffer.wrap(memory.read(GuestLayout.MULTIBOOT_INFO, 20)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(info.getInt(0)).isEqualTo(0b101);
            assertThat(info.getInt(4)).isEqualTo(640);
            assertThat(info.getInt(8)).isEqualTo(63 * 1024);
            assertThat(info.getInt(16)).isEqualTo((int) GuestLayout.COMMAND_LINE);
            assertThat(new String(memory.read(GuestLayout.COMMAND_LINE, 23), StandardCharsets.US_ASCII))
                    .isEqualTo("vcpus=2 workload=mutex\0");
        }
    }

    @Test
    void rejectsBrokenHeadersWithTheReason() {
        assertThatThrownBy(() -> MultibootImage.parse(new byte[100])).hasMessageContaining("no multiboot header");
        assertThatThrownBy(() -> MultibootImage.parse(image(0x10002, 1, GuestLayout.IMAGE_BASE)))
                .hasMessageContaining("bad checksum");
        assertThatThrownBy(() -> MultibootImage.parse(image(0x2, 0, GuestLayout.IMAGE_BASE)))
                .hasMessageContaining("flags bit 16");
        assertThatThrownBy(() -> MultibootImage.parse(image(0x10002, 0, 0x1000)))
                .hasMessageContaining("entry 0x1000 lies outside");
    }

    @Test
    void anImageLargerThanRamIsRejected() {
        try (GuestMemory memory = new GuestMemory(GuestLayout.MiB)) {
            MultibootImage img = MultibootImage.parse(image(0x10002, 0, GuestLayout.IMAGE_BASE));
            assertThatThrownBy(() -> MultibootLoader.load(memory, img, ""))
                    .hasMessageContaining("needs 0x101040 bytes of RAM");
        }
    }
}
