package io.giantvm.engine.mesh;

/** The mesh could not be formed or used (unreachable peer, bad handshake, barrier timeout). */
public class MeshException extends RuntimeException {
    public MeshException(String message) {
        super(message);
    }

    public MeshException(String message, Throwable cause) {
        super(message, cause);
    }
}
