package io.giantvm.engine.config;

import java.util.List;
import java.util.Optional;

/**
 * The VM description's {@code guest}: a Linux kernel to boot instead of the bundled test guest
 * (engine/VM-DESCRIPTION.md). Only the boot node (node 0) reads the files; every node must be able to name them.
 *
 * @param image    {@link Image#BUNDLED_LINUX}: the default guest (Debian kernel + busybox/sysbench initramfs);
 *                 {@link Image#KERNEL}: the user's {@code kernel} (and optional {@code initrd})
 * @param kernel   path of a 64-bit bzImage (image {@code kernel} only)
 * @param initrd   path of an initramfs (image {@code kernel} only)
 * @param append   bundled-linux: added to the default command line; kernel: the whole command line
 * @param sysbench bundled-linux: the sysbench tests /init runs, in order
 * @param seconds  bundled-linux: seconds per sysbench test
 */
public record GuestSpec(Image image, Optional<String> kernel, Optional<String> initrd, Optional<String> append,
                        List<String> sysbench, int seconds) {
    /** What the {@code image} key names. */
    public enum Image {
        BUNDLED_LINUX("bundled-linux"), KERNEL("kernel");

        private final String yamlName;

        Image(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }

        static Image parse(String s) {
            for (Image i : values()) {
                if (i.yamlName.equals(s)) {
                    return i;
                }
            }
            return null;
        }
    }

    public GuestSpec {
        sysbench = List.copyOf(sysbench);
    }

    /** The default Linux guest with these sysbench orders. */
    public static GuestSpec bundledLinux(List<String> sysbench, int seconds, Optional<String> append) {
        return new GuestSpec(Image.BUNDLED_LINUX, Optional.empty(), Optional.empty(), append, sysbench, seconds);
    }
}
