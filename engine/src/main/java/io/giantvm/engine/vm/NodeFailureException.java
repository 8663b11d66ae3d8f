package io.giantvm.engine.vm;

/**
 * The distributed VM stopped because a node failed or was lost. The message always names the node, since
 * that is what an operator needs to look at.
 */
public final class NodeFailureException extends RuntimeException {
    private final int node;

    public NodeFailureException(int node, String message) {
        super(message);
        this.node = node;
    }

    public NodeFailureException(int node, String message, Throwable cause) {
        super(message, cause);
        this.node = node;
    }

    /** The node that failed or was lost. */
    public int node() {
        return node;
    }
}
