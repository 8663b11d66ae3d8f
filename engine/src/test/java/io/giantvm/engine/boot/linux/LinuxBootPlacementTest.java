package io.giantvm.engine.boot.linux;

import io.giantvm.engine.config.HomeRange;
import io.giantvm.engine.config.VmDescription;
import io.giantvm.engine.config.VmDescriptionWriter;
import io.giantvm.engine.memory.GuestLayout;
import io.giantvm.engine.memory.GuestMemory;
import io.giantvm.engine.memory.PhysicalMemory;
import io.giantvm.engine.cpu.ApicIdMap;
import io.giantvm.engine.numa.NumaTopology;
import io.giantvm.engine.numa.SlitDistance;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where the engine puts the boot pieces of the real Debian kernel and initramfs: under NUMA across nodes every
 * byte it writes (kernel, initrd, command line, zero page, GDT, page tables, ACPI tables) is in node 0's home
 * range; a flat VM keeps the initrd at the top of RAM.
 */
class LinuxBootPlacementTest {
    private static final long RAM = GuestLayout.GiB;

    /** Guest RAM that remembers every range the loader wrote. */
    private record Recording(GuestMemory ram, List<long[]> writes) implements PhysicalMemory {
        Recording(GuestMemory ram) {
            this(ram, new ArrayList<>());
        }

        @Override
        public long size() {
            return ram.size();
        }

        @Override
        public void read(long gpa, byte[] into, int offset, int length) {
            ram.read(gpa, into, offset, length);
        }

        @Override
        public void write(long gpa, byte[] from, int offset, int length) {
            writes.add(new long[] {gpa, gpa + length});
            ram.write(gpa, from, offset, length);
        }

        boolean wrote(long gpa) {
            return writes.stream().anyMatch(w -> w[0] <= gpa && gpa < w[1]);
        }
    }

    private static LinuxGuest debian() throws IOException {
        return new LinuxGuest(BzImage.read(DebianKernel.kernel()), Files.readAllBytes(DebianKernel.files().initrd()));
    }

    private static long initrdAddress(PhysicalMemory m) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(m.read(LinuxLayout.ZERO_PAGE, 4096)).order(ByteOrder.LITTLE_ENDIAN)
                .getInt(BzImage.RAMDISK_IMAGE));
    }

    @Test
    void withNumaOverTwoNodesEveryBootPageIsInNodeZerosHome() throws IOException {
        LinuxGuest guest = debian();
        VmDescription d = VmDescriptionWriter.loopback("t", 2, 1, RAM, Optional.empty());
        HomeRange node0 = d.homeRanges().getFirst();
        try (GuestMemory ram = new GuestMemory(RAM)) {
            Recording m = new Recording(ram);
            Optional<NumaTopology> numa = NumaTopology.forVm(d, SlitDistance.DEFAULT);
            LinuxBoot.load(m, guest, "console=ttyS0", ApicIdMap.forGuest(numa, 2), numa);

            long initrd = initrdAddress(m);
            // each piece was written (so the check below is not vacuous) ...
            for (long piece : new long[] {guest.kernel().preferredAddress(), initrd, LinuxLayout.COMMAND_LINE,
                    LinuxLayout.ZERO_PAGE, LinuxLayout.GDT, LinuxLayout.PML4, LinuxLayout.PDPT,
                    LinuxLayout.PAGE_DIRECTORIES + 3 * 4096, LinuxLayout.ACPI_TABLES}) {
                assertThat(m.wrote(piece)).as("wrote 0x%x", piece).isTrue();
            }
            // ... and every page written is homed on node 0
            assertThat(m.writes()).allSatisfy(w -> assertThat(w[0] >= node0.start() && w[1] <= node0.end())
                    .as("[0x%x, 0x%x) in node 0's home [0x%x, 0x%x)", w[0], w[1], node0.start(), node0.end()).isTrue());
            // the initrd as high as node 0's home allows, page-aligned, under initrd_addr_max
            assertThat(initrd % 4096).isZero();
            assertThat(initrd + guest.initrd().length).isLessThanOrEqualTo(node0.end()).isGreaterThan(node0.end() - 4096)
                    .isLessThanOrEqualTo(guest.kernel().initrdAddressMax() + 1);
            assertThat(m.read(initrd, guest.initrd().length)).isEqualTo(guest.initrd());
        }
    }

    @Test
    void aFlatVmKeepsTheInitrdAtTheTopOfRam() throws IOException {
        LinuxGuest guest = debian();
        VmDescription off = VmDescriptionWriter.loopback("t", 2, 1, RAM, Optional.empty()).withNuma(false);
        try (GuestMemory ram = new GuestMemory(RAM)) {
            LinuxBoot.load(ram, guest, "console=ttyS0", ApicIdMap.flat(2), NumaTopology.forVm(off, SlitDistance.DEFAULT));
            long end = initrdAddress(ram) + guest.initrd().length;
            assertThat(end).isLessThanOrEqualTo(RAM).isGreaterThan(RAM - 4096);
        }
    }

    @Test
    void aNodeZeroHomeTooSmallForKernelAndInitrdIsBadInputNamingTheWayOut() {
        BzImage kernel = new BzImage(BzImageTest.header(0x20F, BzImage.XLF_KERNEL_64)); // 16 MiB + 8 MiB init_size
        long ram = 64 * GuestLayout.MiB;
        assertThatThrownBy(() -> LinuxLoader.checkFits(ram, 26 * GuestLayout.MiB, kernel, 3 * 1024 * 1024, ""))
                .isInstanceOf(InvalidKernelException.class)
                .hasMessage("node 0's home range of 26 MiB (of 64 MiB; with NUMA on the kernel and initrd go there) is too"
                        + " small for this kernel: it is loaded at 16 MiB and needs 8 MiB (init_size) above that, plus 3072 KiB"
                        + " of initrd: at least 28 MiB (or --numa off)");
        LinuxLoader.checkFits(ram, 28 * GuestLayout.MiB, kernel, 3 * 1024 * 1024, "");
    }
}
