package io.giantvm.engine.boot;

import io.giantvm.engine.memory.GuestLayout;
import io.giantvm.engine.memory.PhysicalMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Does what a Multiboot v1 boot loader does before it jumps: copies the image, clears its bss,
 * and writes the information structure (memory sizes, command line) the kernel reads from EBX.
 */
public final class MultibootLoader {
    private static final int INFO_MEMORY = 1;
    private static final int INFO_CMDLINE = 1 << 2;
    private static final int INFO_BYTES = 88;
    private static final long CONVENTIONAL_KIB = 640;

    private MultibootLoader() {}

    /** Loads {@code image} and its command line; returns the guest-physical entry point. */
    public static long load(PhysicalMemory memory, MultibootImage image, String commandLine) {
        if (image.end() > memory.size()) {
            throw new IllegalArgumentException("guest image needs 0x%x bytes of RAM, the VM has 0x%x"
                    .formatted(image.end(), memory.size()));
        }
        memory.write(image.loadAddress(), image.bytes(), image.fileOffset(), image.loadLength());
        long bssStart = image.loadAddress() + image.loadLength();
        memory.write(bssStart, new byte[(int) (image.end() - bssStart)]);

        byte[] cmd = (commandLine + "\0").getBytes(StandardCharsets.US_ASCII);
        if (cmd.length > GuestLayout.COMMAND_LINE_MAX) {
            throw new IllegalArgumentException("guest command line is " + cmd.length
                    + " bytes; at most " + GuestLayout.COMMAND_LINE_MAX + " fit");
        }
        memory.write(GuestLayout.COMMAND_LINE, cmd);

        ByteBuffer info = ByteBuffer.allocate(INFO_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        info.putInt(0, INFO_MEMORY | INFO_CMDLINE);
        info.putInt(4, (int) CONVENTIONAL_KIB);
        info.putInt(8, (int) ((memory.size() - GuestLayout.MiB) / 1024)); // mem_upper: KiB above 1 MiB
        info.putInt(16, (int) GuestLayout.COMMAND_LINE);
        memory.write(GuestLayout.MULTIBOOT_INFO, info.array());
        return image.entry();
    }
}
