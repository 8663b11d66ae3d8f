package io.giantvm.engine.vm;

import io.giantvm.engine.config.VmDescription;
import io.giantvm.engine.mesh.RdmaTransport;
import io.giantvm.engine.mesh.TcpTransport;
import io.giantvm.engine.mesh.Transport;

/** The mesh transport a node process uses, as its VM description names it. */
final class NodeTransports {
    private NodeTransports() {}

    static Transport open(VmDescription d, int node) {
        return switch (d.transport()) {
            case TCP -> new TcpTransport(node, d.meshAddresses(), d.name());
            case RDMA -> RdmaTransport.open(node, d.meshAddresses(), d.name());
            case INPROCESS -> throw new VmConfigurationException(
                    "transport 'inprocess' joins nodes inside one JVM (tests only); a node process needs 'tcp' or 'rdma'");
        };
    }
}
