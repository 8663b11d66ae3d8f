package io.giantvm.engine.config;

import io.giantvm.engine.dsm.HomeMap;
import io.giantvm.engine.mesh.MeshAddress;
import io.giantvm.engine.mesh.TransportKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A validated VM description (engine/VM-DESCRIPTION.md): what every node of one VM loads. Build it with
 * {@link VmDescriptionParser}; derived values (vCPU placement, home ranges) are computed here, never stored
 * in the file. {@code nodes} is sorted by id, ids are 0..N-1.
 */
public record VmDescription(
        String name,
        int vcpusPerNode,
        long memoryBytes,
        int ioNode,
        TransportKind transport,
        Optional<Workload> workload,
        Optional<GuestSpec> guest,
        List<NodeEntry> nodes,
        boolean numa) {

    public VmDescription {
        nodes = List.copyOf(nodes);
    }

    /** A VM of the bundled test guest, NUMA on (the default: a multi-node guest is told each node is a NUMA node). */
    public VmDescription(String name, int vcpusPerNode, long memoryBytes, int ioNode, TransportKind transport,
                         Optional<Workload> workload, List<NodeEntry> nodes) {
        this(name, vcpusPerNode, memoryBytes, ioNode, transport, workload, Optional.empty(), nodes, true);
    }

    /** NUMA on (the default; see {@code numa/}). */
    public VmDescription(String name, int vcpusPerNode, long memoryBytes, int ioNode, TransportKind transport,
                         Optional<Workload> workload, Optional<GuestSpec> guest, List<NodeEntry> nodes) {
        this(name, vcpusPerNode, memoryBytes, ioNode, transport, workload, guest, nodes, true);
    }

    public VmDescription withNuma(boolean on) {
        return new VmDescription(name, vcpusPerNode, memoryBytes, ioNode, transport, workload, guest, nodes, on);
    }

    public int nodeCount() {
        return nodes.size();
    }

    public int totalVcpus() {
        return nodeCount() * vcpusPerNode;
    }

    /** First vCPU index run by {@code node}: node i runs vCPUs i*k .. i*k+k-1 (GiantVM's -local-cpu). */
    public int firstVcpu(int node) {
        checkNode(node);
        return node * vcpusPerNode;
    }

    /** The node that runs vCPU {@code vcpu}. */
    public int nodeOfVcpu(int vcpu) {
        if (vcpu < 0 || vcpu >= totalVcpus()) {
            throw new IllegalArgumentException("vCPU " + vcpu + " is not in 0.." + (totalVcpus() - 1));
        }
        return vcpu / vcpusPerNode;
    }

    /**
     * Node i is home of [i*share, (i+1)*share) with share = floor(memory / N / 2 MiB) * 2 MiB; the last node also
     * takes the remainder.
     */
    public List<HomeRange> homeRanges() {
        long share = homeShare(memoryBytes, nodeCount());
        List<HomeRange> out = new ArrayList<>();
        for (int i = 0; i < nodeCount(); i++) {
            long end = i == nodeCount() - 1 ? memoryBytes : (i + 1) * share;
            out.add(new HomeRange(i, i * share, end));
        }
        return out;
    }

    static long homeShare(long memoryBytes, int nodes) {
        return memoryBytes / nodes / ConfigLayout.HOME_ALIGNMENT * ConfigLayout.HOME_ALIGNMENT;
    }

    public HomeMap homeMap() {
        long[] starts = homeRanges().stream().mapToLong(HomeRange::start).toArray();
        return HomeMap.ofRanges(starts, memoryBytes);
    }

    public List<MeshAddress> meshAddresses() {
        return nodes.stream().map(n -> new MeshAddress(n.id(), n.host(), n.meshPort())).toList();
    }

    public NodeEntry node(int id) {
        checkNode(id);
        return nodes.get(id);
    }

    private void checkNode(int node) {
        if (node < 0 || node >= nodeCount()) {
            throw new IllegalArgumentException("node " + node + " is not in 0.." + (nodeCount() - 1));
        }
    }
}
