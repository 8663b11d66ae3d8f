package io.giantvm.engine.mesh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two fresh network namespaces joined by a veth pair — two "machines" on one host for multi-node tests. Each
 * namespace has its loopback up and one address on a private /30 that exists only inside these namespaces, so no
 * test traffic can reach the host's networks. Needs root (CAP_SYS_ADMIN and CAP_NET_ADMIN) and iproute2;
 * {@link #create} says why when it cannot.
 */
public final class NamespacePair implements AutoCloseable {
    public static final String ADDRESS_A = "10.213.0.1";
    public static final String ADDRESS_B = "10.213.0.2";
    private static final long COMMAND_SECONDS = 10;

    private final String a;
    private final String b;

    private NamespacePair(String a, String b) {
        this.a = a;
        this.b = b;
    }

    /** Why namespaces cannot be made here, or null when they can (tries and removes one). */
    public static String unavailableReason() throws InterruptedException {
        String probe = "gvm-probe-" + ProcessHandle.current().pid();
        try {
            run("ip", "netns", "add", probe);
        } catch (IOException e) {
            return "cannot create a network namespace (needs root and iproute2): " + e.getMessage();
        }
        try {
            run("ip", "netns", "del", probe);
        } catch (IOException e) {
            return "created a network namespace but could not delete it: " + e.getMessage();
        }
        return null;
    }

    /** Creates namespaces {@code prefix-a} and {@code prefix-b} (made unique by this process id) and the link. */
    public static NamespacePair create(String prefix) throws IOException, InterruptedException {
        String base = prefix + "-" + ProcessHandle.current().pid();
        NamespacePair pair = new NamespacePair(base + "-a", base + "-b");
        try {
            run("ip", "netns", "add", pair.a);
            run("ip", "netns", "add", pair.b);
            String vethA = "gvm" + ProcessHandle.current().pid() % 100_000 + "a"; // interface names: at most 15 chars
            String vethB = "gvm" + ProcessHandle.current().pid() % 100_000 + "b";
            run("ip", "link", "add", vethA, "netns", pair.a, "type", "veth", "peer", "name", vethB, "netns", pair.b);
            pair.configure(pair.a, vethA, ADDRESS_A);
            pair.configure(pair.b, vethB, ADDRESS_B);
        } catch (IOException | RuntimeException e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    private void configure(String ns, String device, String address) throws IOException, InterruptedException {
        run("ip", "-n", ns, "link", "set", "lo", "up");
        run("ip", "-n", ns, "addr", "add", address + "/30", "dev", device);
        run("ip", "-n", ns, "link", "set", device, "up");
    }

    /** {@code command} prefixed so that it runs inside namespace A (0) or B (1). */
    public List<String> inside(int which, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", which == 0 ? a : b));
        cmd.addAll(command);
        return cmd;
    }

    /** Deleting a namespace deletes its end of the veth pair, and with it the other end. */
    @Override
    public void close() {
        for (String ns : List.of(a, b)) {
            try {
                run("ip", "netns", "del", ns);
            } catch (IOException | InterruptedException e) {
                // it may never have been created; nothing else to undo
            }
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(String.join(" ", command) + ": " + e.getMessage(), e);
        }
        if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": no answer in " + COMMAND_SECONDS + " s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + out);
        }
    }
}
