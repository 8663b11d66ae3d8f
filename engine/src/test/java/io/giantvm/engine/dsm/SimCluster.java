package io.giantvm.engine.dsm;

import io.giantvm.engine.mesh.InProcessMesh;
import java.time.Duration;

/** N DSM nodes in one JVM over an in-process mesh, each with simulated guest RAM. */
final class SimCluster implements AutoCloseable {
    final InProcessMesh mesh;
    final HomeMap homes;
    final DsmNode[] nodes;
    final SimulatedPageMemory[] memories;

    private SimCluster(InProcessMesh mesh, long pagesPerNode, Duration faultTimeout) {
        this(mesh, pagesPerNode, faultTimeout, Hold.none());
    }

    private SimCluster(InProcessMesh mesh, long pagesPerNode, Duration faultTimeout, Hold hold) {
        this.mesh = mesh;
        int n = mesh.nodeCount();
        this.homes = HomeMap.evenPages(n, pagesPerNode);
        this.nodes = new DsmNode[n];
        this.memories = new SimulatedPageMemory[n];
        for (int i = 0; i < n; i++) {
            memories[i] = new SimulatedPageMemory(i);
            nodes[i] = new DsmNode(mesh.transport(i), homes, memories[i], faultTimeout, hold);
            mesh.transport(i).setHandler(nodes[i]);
        }
    }

    /** Frames move only when the test delivers them. */
    static SimCluster manual(int nodes, long pagesPerNode) {
        return new SimCluster(InProcessMesh.manual(nodes), pagesPerNode, DsmLayout.DEFAULT_FAULT_TIMEOUT);
    }

    /** Frames move only when the test delivers them, first-in first-out per pair of nodes (as on TCP). */
    static SimCluster manualInOrder(int nodes, long pagesPerNode) {
        return new SimCluster(InProcessMesh.manualInOrder(nodes), pagesPerNode, DsmLayout.DEFAULT_FAULT_TIMEOUT);
    }

    /** Like {@link #manualInOrder}, with the progress hold on the simulation's own clock. */
    static SimCluster manualInOrder(int nodes, long pagesPerNode, Hold hold) {
        return new SimCluster(InProcessMesh.manualInOrder(nodes), pagesPerNode, DsmLayout.DEFAULT_FAULT_TIMEOUT, hold);
    }

    /** Like {@link #manual}, with the progress hold on the simulation's own clock. */
    static SimCluster manual(int nodes, long pagesPerNode, Hold hold) {
        return new SimCluster(InProcessMesh.manual(nodes), pagesPerNode, DsmLayout.DEFAULT_FAULT_TIMEOUT, hold);
    }

    /** Frames move on receive threads, optionally delayed and reordered by a seed. */
    static SimCluster threaded(int nodes, long pagesPerNode, Long seed, Duration maxDelay, Duration faultTimeout) {
        return new SimCluster(InProcessMesh.threaded(nodes, seed, maxDelay), pagesPerNode, faultTimeout);
    }

    /** The last value stored into each page, for {@link InvariantChecker}; filled by tests that use it. */
    private byte[][] truth;

    byte[][] truthTable() {
        if (truth == null) {
            truth = new byte[(int) pageCount()][DsmLayout.PAGE_SIZE];
        }
        return truth;
    }

    /** Records a long stored at offset 0 of {@code page} as the page's last write. */
    void truth(long page, long value) {
        System.arraycopy(DsmStressTestBytes.of(value), 0, truthTable()[(int) page], 0, 8);
    }

    long pageCount() {
        return homes.pageCount();
    }

    /** Manual mode: delivers frames, oldest first, until none is left. */
    void drain() {
        int guard = 0;
        while (mesh.inFlight() > 0) {
            mesh.deliver(0);
            if (++guard > 1_000_000) {
                throw new AssertionError("frames keep coming: livelock");
            }
        }
    }

    @Override
    public void close() {
        for (DsmNode n : nodes) {
            n.close();
        }
        mesh.close();
    }
}
