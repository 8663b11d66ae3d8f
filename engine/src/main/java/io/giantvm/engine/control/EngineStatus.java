package io.giantvm.engine.control;

import java.util.Objects;

/**
 * One node's state as the control API reports it.
 *
 * @param nodeIndex          this node's id in the VM description
 * @param nodeCount          how many nodes the VM has
 * @param vmName             the VM description's name
 * @param vcpusRunning       vCPUs of this node's block that are not stopped
 * @param vcpusAssigned      the size of this node's block (vcpusPerNode)
 * @param meshPeersConnected peers with an established mesh connection
 * @param guestState         where the guest is in its life
 * @param detail             one human-readable line saying why (empty when there is nothing to say)
 * @param outcome            how the guest ended, on a node that stays up after it; null while it runs
 */
public record EngineStatus(int nodeIndex, int nodeCount, String vmName, int vcpusRunning, int vcpusAssigned,
                           int meshPeersConnected, GuestRunState guestState, String detail, GuestOutcome outcome) {

    /** A node whose guest has not ended (or that does not stay up to report it). */
    public EngineStatus(int nodeIndex, int nodeCount, String vmName, int vcpusRunning, int vcpusAssigned,
                        int meshPeersConnected, GuestRunState guestState, String detail) {
        this(nodeIndex, nodeCount, vmName, vcpusRunning, vcpusAssigned, meshPeersConnected, guestState, detail, null);
    }

    /** The same status with the guest's outcome: the node has stopped its guest and now only reports. */
    public EngineStatus ended(GuestOutcome how) {
        return new EngineStatus(nodeIndex, nodeCount, vmName, 0, vcpusAssigned, meshPeersConnected,
                how.succeeded() ? GuestRunState.HALTED : GuestRunState.FAILED, how.result(), how);
    }

    public EngineStatus {
        if (nodeCount < 1 || nodeIndex < 0 || nodeIndex >= nodeCount) {
            throw new IllegalArgumentException("node index " + nodeIndex + " is not in 0.." + (nodeCount - 1));
        }
        if (vcpusRunning < 0 || vcpusAssigned < 0 || vcpusRunning > vcpusAssigned) {
            throw new IllegalArgumentException(
                    "vCPUs running " + vcpusRunning + " is not in 0.." + vcpusAssigned + " (assigned)");
        }
        if (meshPeersConnected < 0 || meshPeersConnected > nodeCount - 1) {
            throw new IllegalArgumentException(
                    "mesh peers connected " + meshPeersConnected + " is not in 0.." + (nodeCount - 1));
        }
        Objects.requireNonNull(vmName, "vmName");
        Objects.requireNonNull(guestState, "guestState");
        detail = detail == null ? "" : detail;
    }

    /** Every other node is connected: the DSM and forwarding can reach the whole VM. */
    public boolean meshComplete() {
        return meshPeersConnected == nodeCount - 1;
    }

    /** What the readiness probe answers: the node serves its part of the VM. */
    public boolean ready() {
        return meshComplete() && guestState == GuestRunState.RUNNING;
    }

    /**
     * What the liveness probe answers: restarting the pod would not help only while this holds. A node
     * that reports its guest's outcome is alive whatever the outcome: it waits for the operator, which
     * restarts the whole VM or keeps the result (a container restart would only lose it).
     */
    public boolean alive() {
        return guestState != GuestRunState.FAILED || outcome != null;
    }
}
