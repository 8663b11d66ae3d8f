package io.giantvm.engine.mesh;

/** Where node {@code node} listens for mesh connections. */
public record MeshAddress(int node, String host, int port) {
    @Override
    public String toString() {
        return "node " + node + " (" + host + ":" + port + ")";
    }
}
