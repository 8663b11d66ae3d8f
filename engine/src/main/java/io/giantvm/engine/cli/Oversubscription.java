package io.giantvm.engine.cli;

import java.util.Optional;

/**
 * Says when the nodes of a run on this one host had fewer cores than they would have on their own machines.
 * A spinning vCPU keeps a core busy, and each node's DSM and mesh threads need one too to serve its peers'
 * faults: with more vCPUs than cores those threads wait for a time slice, every remote fault waits with them,
 * and the figures measure the host's scheduler more than the VM.
 */
final class Oversubscription {
    private Oversubscription() {}

    /**
     * Whether a run of {@code nodes} engine nodes has fewer cores than it keeps busy: its vCPUs plus one per node for
     * the DSM and mesh service, which must run the moment a peer faults (a spinning vCPU never yields its core to it).
     */
    static boolean withEngineThreads(int nodes, int vcpus, int cores) {
        return vcpus + nodes > cores;
    }

    static Optional<String> note(int nodes, int vcpusPerNode, int cores) {
        int vcpus = nodes * vcpusPerNode;
        if (nodes < 2 || vcpus < cores) {
            return Optional.empty();
        }
        return Optional.of(("note: %d nodes x %d vCPUs on a %d-core host: the vCPUs alone take %s the cores, and each"
                + " node's DSM threads wait for a time slice to serve the others; these figures are not what %d"
                + " separate machines would give").formatted(nodes, vcpusPerNode, cores, vcpus == cores ? "all of" : "more than",
                nodes));
    }
}
