package io.giantvm.engine.vm;

import io.giantvm.engine.boot.linux.LinuxGuest;
import io.giantvm.engine.config.VmDescription;
import io.giantvm.engine.memory.GuestLayout;
import java.io.OutputStream;
import java.time.Duration;

/**
 * What one node of a distributed VM is made of.
 *
 * @param description  the VM description every node loads (vCPU placement, memory homes, addresses)
 * @param node         this node's id
 * @param guestImage   the multiboot image; only the node that boots (node 0) loads it
 * @param commandLine  the guest's command line
 * @param console      where the guest's UART output goes (used on the I/O node)
 * @param faultTimeout how long a DSM fault may wait before the node gives up on its peers
 * @param linux        a Linux kernel and initrd to boot instead of {@code guestImage} (only the boot node's
 *                     matters), or null; every node needs to know that the VM runs Linux (its vCPUs' APIC base)
 */
public record NodeSpec(VmDescription description, int node, byte[] guestImage, String commandLine,
                       OutputStream console, Duration faultTimeout, LinuxGuest linux) {
    /** A node of the bundled test guest. */
    public NodeSpec(VmDescription description, int node, byte[] guestImage, String commandLine,
                    OutputStream console, Duration faultTimeout) {
        this(description, node, guestImage, commandLine, console, faultTimeout, null);
    }

    /** The node that holds vCPU 0, the bootstrap processor, and therefore loads the guest. */
    public static final int BOOT_NODE = 0;

    public NodeSpec {
        if (description.guest().isPresent() != (linux != null) && node == BOOT_NODE) {
            throw new IllegalArgumentException("the boot node of a VM " + (linux == null ? "with" : "without")
                    + " a Linux guest was given " + (linux == null ? "no kernel" : "one"));
        }
        if (node < 0 || node >= description.nodeCount()) {
            throw new VmConfigurationException("node id " + node + " is not in the VM description (nodes 0.."
                    + (description.nodeCount() - 1) + ")");
        }
        long memory = description.memoryBytes();
        if (memory < GuestLayout.MIN_RAM || memory > GuestLayout.MAX_RAM || memory % (2 * GuestLayout.MiB) != 0) {
            throw new VmConfigurationException("memory %d MiB: a guest needs %d..%d MiB in whole 2 MiB steps".formatted(
                    memory / GuestLayout.MiB, GuestLayout.MIN_RAM / GuestLayout.MiB, GuestLayout.MAX_RAM / GuestLayout.MiB));
        }
    }

    /** Whether this VM boots Linux (the description names a guest), whichever node this is. */
    public boolean runsLinux() {
        return description.guest().isPresent();
    }

    public boolean isIoNode() {
        return node == description.ioNode();
    }

    public int firstVcpu() {
        return description.firstVcpu(node);
    }

    public int localVcpus() {
        return description.vcpusPerNode();
    }

    public int totalVcpus() {
        return description.totalVcpus();
    }
}
