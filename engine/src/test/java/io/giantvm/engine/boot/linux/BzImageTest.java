package io.giantvm.engine.boot.linux;

import io.giantvm.engine.memory.GuestLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BzImageTest {
    @Test
    void readsDebiansCloudKernelHeader() throws Exception {
        Path path = DebianKernel.kernel();
        BzImage k = BzImage.read(path);
        byte[] file = Files.readAllBytes(path);
        assertThat(k.protocolVersion()).isGreaterThanOrEqualTo(0x20F); // bookworm's 6.1: 2.15
        assertThat(k.preferredAddress()).isEqualTo(16 * GuestLayout.MiB);
        assertThat(k.initSize()).isBetween(30 * GuestLayout.MiB, 128 * GuestLayout.MiB);
        assertThat(k.relocatable()).isTrue();
        assertThat(k.kernelAlignment()).isEqualTo(2 * GuestLayout.MiB);
        assertThat(k.initrdAddressMax()).isEqualTo(0x7FFF_FFFFL);
        assertThat(k.commandLineMax()).isEqualTo(2047);
        assertThat(k.kernelOffset()).isEqualTo((Byte.toUnsignedInt(file[0x1F1]) + 1) * 512);
        assertThat(k.kernelOffset() + k.kernelLength()).isEqualTo(file.length);
        byte[] header = k.setupHeader();
        assertThat(header[0]).isEqualTo(file[0x1F1]); // starts at setup_sects
        assertThat(header.length).isEqualTo(0x202 + Byte.toUnsignedInt(file[0x201]) - 0x1F1);
        assertThat(header.length).isGreaterThan(0x268 - 0x1F1); // reaches init_size
    }

    @Test
    void aMissingFileIsBadInputNamingIt(@TempDir Path dir) {
        assertThatThrownBy(() -> BzImage.read(dir.resolve("vmlinuz")))
                .isInstanceOf(InvalidKernelException.class).hasMessageContaining("vmlinuz does not exist");
    }

    @Test
    void anElfVmlinuxIsNotABzImage(@TempDir Path dir) throws Exception {
        byte[] elf = new byte[8192];
        elf[0] = 0x7F;
        elf[1] = 'E';
        elf[2] = 'L';
        elf[3] = 'F';
        Path p = Files.write(dir.resolve("vmlinux"), elf);
        assertThatThrownBy(() -> BzImage.read(p)).isInstanceOf(InvalidKernelException.class)
                .hasMessageContaining("not a bzImage").hasMessageNotContaining("\n");
    }

    @Test
    void aShortFileIsNotABzImage() {
        assertThatThrownBy(() -> new BzImage(new byte[100])).isInstanceOf(InvalidKernelException.class)
                .hasMessageContaining("not a bzImage");
    }

    @Test
    void aKernelWithoutA64BitEntryIsRefused() {
        byte[] b = header(0x20F, 0);
        assertThatThrownBy(() -> new BzImage(b)).hasMessageContaining("no 64-bit entry point");
        assertThat(new BzImage(header(0x20F, BzImage.XLF_KERNEL_64)).protocolVersion()).isEqualTo(0x20F);
    }

    @Test
    void anOldProtocolIsRefused() {
        assertThatThrownBy(() -> new BzImage(header(0x20A, BzImage.XLF_KERNEL_64))).hasMessageContaining("2.10 is too old");
    }

    /** A minimal bzImage: 4 setup sectors + 1 KiB of "kernel", the given version and xloadflags. */
    static byte[] header(int version, int xloadflags) {
        ByteBuffer b = ByteBuffer.allocate(5 * 512 + 1024).order(ByteOrder.LITTLE_ENDIAN);
        b.put(BzImage.SETUP_SECTS, (byte) 4);
        b.putShort(BzImage.BOOT_FLAG, (short) 0xAA55);
        b.put(BzImage.JUMP_END, (byte) 0x66);
        b.putInt(BzImage.HEADER_MAGIC, BzImage.MAGIC_HDRS);
        b.putShort(BzImage.VERSION, (short) version);
        b.put(BzImage.LOADFLAGS, (byte) BzImage.LOADED_HIGH);
        b.putShort(BzImage.XLOADFLAGS, (short) xloadflags);
        b.putInt(BzImage.CMDLINE_SIZE, 255);
        b.putInt(BzImage.INITRD_ADDR_MAX, 0x7FFF_FFFF);
        b.putLong(BzImage.PREF_ADDRESS, 16 * GuestLayout.MiB);
        b.putInt(BzImage.INIT_SIZE, (int) (8 * GuestLayout.MiB));
        return b.array();
    }
}
