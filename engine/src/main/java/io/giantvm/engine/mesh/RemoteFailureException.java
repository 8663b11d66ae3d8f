package io.giantvm.engine.mesh;

/** The peer received the request but answered with a failure. */
public class RemoteFailureException extends MeshException {
    public RemoteFailureException(int node, String message) {
        super("node " + node + " failed the request: " + message);
    }
}
