package io.giantvm.engine.guest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * How to boot a flat multiboot image the way QEMU's loader does, as plain data for a VMM: which bytes
 * go where in guest RAM, and the BSP's entry registers. The VMM still sets up 32-bit protected mode
 * itself (flat CS/DS/ES/FS/GS/SS, CR0.PE=1, paging off, EFLAGS=0x2) and applies {@link #eip()},
 * {@link #eax()} and {@link #ebx()}.
 *
 * @param writes guest-physical writes, in order: image, zeroed bss, multiboot info, command line
 */
public record MultibootBootPlan(List<Write> writes, long eip, int eax, int ebx) {

    /** Bytes to copy to a guest-physical address. */
    public record Write(long address, byte[] bytes) {
        public Write {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Write w && w.address == address && Arrays.equals(w.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(address) * 31 + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Write[0x" + Long.toHexString(address) + ", " + bytes.length + " bytes]";
        }
    }

    public static final int BOOT_MAGIC = 0x2BADB002;
    /** flags: bit 0 mem_lower/mem_upper valid, bit 2 cmdline valid. */
    public static final int INFO_FLAGS = 0x1 | 0x4;
    /** Conventional memory reported below 640 KiB, as QEMU and BIOSes report it (the EBDA takes the rest). */
    public static final int MEM_LOWER_KIB = 639;
    private static final int INFO_BYTES = 88;   // the whole multiboot v1 info struct, unused fields zero
    private static final long ONE_MIB = 1L << 20;

    /**
     * Plans the boot of {@code image} with {@code commandLine} in {@code ramBytes} of RAM starting at
     * guest-physical 0.
     *
     * @throws IllegalArgumentException if the image has no usable header, does not fit, RAM is smaller
     *                                  than the guest's 32 MiB floor, or the command line is too long
     */
    public static MultibootBootPlan plan(byte[] image, long ramBytes, String commandLine) {
        MultibootHeader h = MultibootHeader.find(image);
        if (ramBytes < GuestAbi.MIN_RAM_BYTES) {
            throw new IllegalArgumentException("guest RAM of " + Sizes.format(ramBytes) + " is below the guest's minimum of "
                    + Sizes.format(GuestAbi.MIN_RAM_BYTES));
        }
        if (h.bssEnd() > ramBytes || h.loadAddress() < GuestAbi.TRAMPOLINE_ADDRESS + 4096) {
            throw new IllegalArgumentException("guest image range 0x" + Long.toHexString(h.loadAddress()) + "..0x"
                    + Long.toHexString(h.bssEnd()) + " does not fit in RAM above the boot area");
        }
        byte[] cmdline = (commandLine + "\0").getBytes(StandardCharsets.US_ASCII);
        if (cmdline.length > GuestAbi.COMMAND_LINE_MAX_BYTES) {
            throw new IllegalArgumentException("kernel command line is " + (cmdline.length - 1) + " bytes, at most "
                    + (GuestAbi.COMMAND_LINE_MAX_BYTES - 1) + " fit");
        }
        // RAM is contiguous from 1 MiB up to the end of RAM or the APIC page, whichever comes first.
        long upperEnd = Math.min(ramBytes, GuestAbi.LAPIC_BASE);
        ByteBuffer info = ByteBuffer.allocate(INFO_BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(0, INFO_FLAGS)
                .putInt(4, MEM_LOWER_KIB)
                .putInt(8, (int) ((upperEnd - ONE_MIB) / 1024))
                .putInt(16, (int) GuestAbi.COMMAND_LINE_ADDRESS);
        List<Write> writes = List.of(
                new Write(h.loadAddress(), Arrays.copyOfRange(image, 0, h.loadBytes())),
                new Write(h.loadEnd(), new byte[(int) (h.bssEnd() - h.loadEnd())]),
                new Write(GuestAbi.MULTIBOOT_INFO_ADDRESS, info.array()),
                new Write(GuestAbi.COMMAND_LINE_ADDRESS, cmdline));
        return new MultibootBootPlan(writes, h.entry(), BOOT_MAGIC, (int) GuestAbi.MULTIBOOT_INFO_ADDRESS);
    }
}
