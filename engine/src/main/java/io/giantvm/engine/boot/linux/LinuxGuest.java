package io.giantvm.engine.boot.linux;

/** A Linux kernel and its initrd, to boot instead of the bundled guest. */
public record LinuxGuest(BzImage kernel, byte[] initrd) {
}
