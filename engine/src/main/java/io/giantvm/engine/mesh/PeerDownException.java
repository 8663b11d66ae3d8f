package io.giantvm.engine.mesh;

/** A peer node is gone; the message names it because the whole VM stops on this. */
public class PeerDownException extends MeshException {
    private final int node;

    public PeerDownException(int node, String why) {
        super("node " + node + " is down: " + why);
        this.node = node;
    }

    public int node() {
        return node;
    }
}
