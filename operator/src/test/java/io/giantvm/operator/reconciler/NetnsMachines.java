package io.giantvm.operator.reconciler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * "Machines" for the local product-path test: one network namespace per Kubernetes node, each with one
 * address on a private /24 that exists only on a bridge this class creates (so each hypervisor binds the
 * real ports 7100/7200 at its own address, as in a pod), and the bridge's own address in this (the
 * operator's) namespace so the operator reaches every control port, as it reaches pod IPs. No test traffic
 * can leave the bridge. Needs root and iproute2; {@link #unavailableReason} says why not.
 */
final class NetnsMachines implements AutoCloseable {
    /** 10.214.0.0/24: machine i is .(i+1), the operator's side of the bridge .254. */
    static final String SUBNET = "10.214.0.";
    static final String HOST_ADDRESS = SUBNET + "254";
    private static final long COMMAND_SECONDS = 10;

    private final String prefix;
    private final String bridge;
    private final int count;

    private NetnsMachines(String prefix, int count) {
        this.prefix = prefix;
        this.count = count;
        this.bridge = "gvme" + ProcessHandle.current().pid() % 100_000; // interface names: at most 15 chars
    }

    static String unavailableReason() throws InterruptedException {
        String probe = "gvm-e2e-probe-" + ProcessHandle.current().pid();
        try {
            run("ip", "netns", "add", probe);
            run("ip", "netns", "del", probe);
            return null;
        } catch (IOException e) {
            return "cannot create network namespaces (needs root and iproute2): " + e.getMessage();
        }
    }

    static NetnsMachines create(int count) throws IOException, InterruptedException {
        NetnsMachines m = new NetnsMachines("gvm-e2e-" + ProcessHandle.current().pid(), count);
        try {
            run("ip", "link", "add", m.bridge, "type", "bridge");
            run("ip", "addr", "add", HOST_ADDRESS + "/24", "dev", m.bridge);
            run("ip", "link", "set", m.bridge, "up");
            for (int i = 0; i < count; i++) {
                String ns = m.namespace(i);
                String outside = m.bridge + "v" + i;
                String inside = "eth0";
                run("ip", "netns", "add", ns);
                run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside, "netns", ns);
                run("ip", "link", "set", outside, "master", m.bridge);
                run("ip", "link", "set", outside, "up");
                run("ip", "-n", ns, "link", "set", "lo", "up");
                run("ip", "-n", ns, "addr", "add", address(i) + "/24", "dev", inside);
                run("ip", "-n", ns, "link", "set", inside, "up");
            }
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }

    static String address(int machine) {
        return SUBNET + (machine + 1);
    }

    int count() {
        return count;
    }

    String namespace(int machine) {
        return prefix + "-" + machine;
    }

    /** {@code command} prefixed so that it runs on machine {@code i} (ip netns exec replaces itself by it). */
    List<String> inside(int machine, List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace(machine)));
        cmd.addAll(command);
        return cmd;
    }

    @Override
    public void close() {
        for (int i = 0; i < count; i++) {
            quietly("ip", "netns", "del", namespace(i)); // takes its veth end, and so the other, with it
        }
        quietly("ip", "link", "del", bridge);
    }

    private static void quietly(String... command) {
        try {
            run(command);
        } catch (IOException | InterruptedException e) {
            // never created, or already gone: nothing else to undo
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
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
