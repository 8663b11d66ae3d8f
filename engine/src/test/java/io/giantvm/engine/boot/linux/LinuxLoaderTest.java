package io.giantvm.engine.boot.linux;

import io.giantvm.engine.memory.GuestLayout;
import io.giantvm.engine.memory.GuestMemory;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinuxLoaderTest {
    private static final long RAM = 256 * GuestLayout.MiB;

    @Test
    void loadsDebiansKernelInitrdCommandLineZeroPageAndIdentityMap() {
        BzImage kernel = BzImage.read(DebianKernel.kernel());
        byte[] initrd = new byte[10_000];
        Arrays.fill(initrd, (byte) 0x5A);
        try (GuestMemory m = new GuestMemory(RAM)) {
            LinuxLoader.Entry e = LinuxLoader.load(m, kernel, initrd, "console=ttyS0 quiet");
            assertThat(e.rip()).isEqualTo(16 * GuestLayout.MiB + 0x200);
            assertThat(e.zeroPage()).isEqualTo(LinuxLayout.ZERO_PAGE);
            // the protected-mode kernel at pref_address
            assertThat(m.read(16 * GuestLayout.MiB, 64))
                    .isEqualTo(Arrays.copyOfRange(kernel.bytes(), kernel.kernelOffset(), kernel.kernelOffset() + 64));

            ByteBuffer z = ByteBuffer.wrap(m.read(LinuxLayout.ZERO_PAGE, 4096)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(z.getInt(BzImage.HEADER_MAGIC)).isEqualTo(BzImage.MAGIC_HDRS);
            assertThat(Byte.toUnsignedInt(z.get(BzImage.TYPE_OF_LOADER))).isEqualTo(0xFF);
            long cmd = Integer.toUnsignedLong(z.getInt(BzImage.CMD_LINE_PTR));
            assertThat(new String(m.read(cmd, 20), StandardCharsets.US_ASCII)).isEqualTo("console=ttyS0 quiet\0");
            long initrdAt = Integer.toUnsignedLong(z.getInt(BzImage.RAMDISK_IMAGE));
            assertThat(z.getInt(BzImage.RAMDISK_SIZE)).isEqualTo(initrd.length);
            assertThat(initrdAt % 4096).isZero();
            assertThat(initrdAt + initrd.length).isLessThanOrEqualTo(RAM).isGreaterThan(RAM - 4096);
            assertThat(m.read(initrdAt, initrd.length)).isEqualTo(initrd);
            assertThat(z.getLong(ZeroPage.ACPI_RSDP_ADDR)).isEqualTo(LinuxLayout.ACPI_TABLES);
            assertThat(z.get(ZeroPage.E820_ENTRIES)).isEqualTo((byte) 4);
            int last = ZeroPage.E820_TABLE + 3 * E820Entry.BYTES;
            assertThat(z.getLong(last)).isEqualTo(GuestLayout.MiB);
            assertThat(z.getLong(last + 8)).isEqualTo(RAM - GuestLayout.MiB);
            assertThat(z.getInt(last + 16)).isEqualTo(E820Entry.RAM);

            // PML4[0] -> PDPT; PDPT[1] -> second directory; its entry 3 maps 1 GiB + 6 MiB as a large page
            ByteBuffer pml4 = ByteBuffer.wrap(m.read(LinuxLayout.PML4, 8)).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(pml4.getLong(0) & ~0xFFFL).isEqualTo(LinuxLayout.PDPT);
            long pd1 = ByteBuffer.wrap(m.read(LinuxLayout.PDPT + 8, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong(0) & ~0xFFFL;
            long pde = ByteBuffer.wrap(m.read(pd1 + 3 * 8, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            assertThat(pde).isEqualTo(GuestLayout.GiB + 6 * GuestLayout.MiB | 0x83);
            // GDT: __BOOT_CS is 64-bit code (L set, D clear), __BOOT_DS writable data
            ByteBuffer gdt = ByteBuffer.wrap(m.read(LinuxLayout.GDT, 32)).order(ByteOrder.LITTLE_ENDIAN);
            long cs = gdt.getLong(LinuxLayout.BOOT_CS);
            assertThat(cs >>> 53 & 1).isEqualTo(1);
            assertThat(cs >>> 54 & 1).isZero();
            assertThat(gdt.getLong(LinuxLayout.BOOT_DS) >>> 40 & 0xFF).isEqualTo(0x93);
        }
    }

    @Test
    void memoryBelowInitSizeIsBadInputSayingHowMuchIsNeeded() {
        BzImage kernel = new BzImage(BzImageTest.header(0x20F, BzImage.XLF_KERNEL_64)); // 16 MiB + 8 MiB init_size
        try (GuestMemory m = new GuestMemory(24 * GuestLayout.MiB)) {
            assertThatThrownBy(() -> LinuxLoader.load(m, kernel, new byte[3 * 1024 * 1024], ""))
                    .isInstanceOf(InvalidKernelException.class)
                    .hasMessageContaining("memory 24 MiB is too small")
                    .hasMessageContaining("at least 28 MiB");
        }
        try (GuestMemory m = new GuestMemory(28 * GuestLayout.MiB)) {
            assertThat(LinuxLoader.load(m, kernel, new byte[3 * 1024 * 1024], "").rip()).isEqualTo(16 * GuestLayout.MiB + 0x200);
        }
    }

    @Test
    void aCommandLineLongerThanTheKernelTakesIsRefused() {
        BzImage kernel = new BzImage(BzImageTest.header(0x20F, BzImage.XLF_KERNEL_64)); // cmdline_size 255
        try (GuestMemory m = new GuestMemory(64 * GuestLayout.MiB)) {
            assertThatThrownBy(() -> LinuxLoader.load(m, kernel, new byte[0], "x".repeat(256)))
                    .hasMessageContaining("256 bytes; this kernel takes at most 255");
        }
    }
}
