package io.giantvm.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds the guest's TSS set-up (tss.c, compiled for the host) to what a PVM-backed KVM needs: ring-3 port
 * I/O is checked against the TSS I/O permission bitmap whatever IOPL says, so every cpu's TSS must point
 * at an all-zero bitmap that its limit covers, followed by the 0xFF byte, and ring 3 must run with IOPL 0
 * so every other KVM takes the same path. The descriptor is decoded here, independently of the C code.
 */
class GuestTssIoBitmapTest {
    private static final int IO_BITMAP_BYTES = 8192;
    private static final int TSS_AVAILABLE_64 = 0x89;

    @TempDir
    static Path buildDir;
    private static List<String> lines;

    @BeforeAll
    static void run() throws Exception {
        assumeTrue(HostCommand.onPath("gcc") && HostCommand.onPath("make"),
                "gcc or make not on the PATH: skipped compiling the guest's TSS code for the host");
        Path harness = GuestSources.buildHostHarness(buildDir);
        HostCommand r = HostCommand.run(List.of(harness.toString(), "tss"), Duration.ofSeconds(30));
        assertThat(r.exitCode()).as(r.output()).isZero();
        lines = r.output().lines().toList();
    }

    @Test
    void ringThreeRunsWithIoplZero() {
        long rflags = Long.parseLong(lines.getFirst().split(" ")[1]);
        assertThat((rflags >> 12) & 3).as("IOPL of RFLAGS_USER").isZero();
        assertThat(rflags & 0x200).as("IF of RFLAGS_USER").isNotZero();
    }

    @Test
    void everyCpusTssLimitCoversAnAllZeroBitmapAndItsEndByte() {
        List<String> cpus = lines.stream().filter(l -> l.startsWith("cpu ")).toList();
        assertThat(cpus).hasSize(GuestAbi.MAX_VCPUS);
        for (String line : cpus) {
            String[] f = line.split(" ");
            long desc0 = Long.parseUnsignedLong(f[2]);
            long desc1 = Long.parseUnsignedLong(f[3]);
            long tss = Long.parseUnsignedLong(f[4]);
            long bitmap = Long.parseUnsignedLong(f[5]);
            int iomapBase = Integer.parseInt(f[6]);

            long base = ((desc0 >>> 16) & 0xFFFFFF) | (((desc0 >>> 56) & 0xFF) << 24) | (desc1 << 32);
            long limit = (desc0 & 0xFFFF) | (((desc0 >>> 48) & 0xF) << 16);
            int type = (int) ((desc0 >>> 40) & 0xFF);
            assertThat(base).as("%s: descriptor base", line).isEqualTo(tss);
            assertThat(type).as("%s: descriptor type", line).isEqualTo(TSS_AVAILABLE_64);
            assertThat(tss + iomapBase).as("%s: iomap_base points at the shared bitmap", line).isEqualTo(bitmap);
            assertThat(limit).as("%s: limit covers the bitmap and its 0xFF end byte", line)
                    .isGreaterThanOrEqualTo((long) iomapBase + IO_BITMAP_BYTES);
            assertThat(f[7]).as("%s: non-zero bitmap bytes (a set bit denies a port)", line).isEqualTo("0");
            assertThat(f[8]).as("%s: the byte after the bitmap", line).isEqualTo("255");
        }
    }
}
