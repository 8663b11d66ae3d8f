package io.giantvm.engine.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The nested-KVM test VM (e2e/qemu-kvm) boots with its loopback interface down, and node processes talk over
 * 127.0.0.1. Brings {@code lo} up when it is down and we may (root); elsewhere it is up already.
 */
final class LoopbackUp {
    private static final int IFF_UP = 1;

    private LoopbackUp() {}

    static void ensure() throws IOException, InterruptedException {
        Path flags = Path.of("/sys/class/net/lo/flags");
        if (!Files.exists(flags) || (Integer.decode(Files.readString(flags).strip()) & IFF_UP) != 0) {
            return;
        }
        Process p = new ProcessBuilder("ip", "link", "set", "lo", "up").inheritIO().start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("loopback is down and 'ip link set lo up' failed");
        }
    }
}
