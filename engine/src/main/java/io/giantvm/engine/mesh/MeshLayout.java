package io.giantvm.engine.mesh;

import java.time.Duration;

/** Sizes and timings of the mesh, in one place. */
public final class MeshLayout {
    private MeshLayout() {}

    /** Bytes of the big-endian length that precedes every frame on TCP. */
    public static final int LENGTH_PREFIX = 4;

    /** Largest frame accepted; a page grant is ~4.1 KiB, so anything near this is corruption. */
    public static final int MAX_FRAME = 16 << 20;

    /** Socket buffers: a few hundred frames in flight per peer without the sender blocking. */
    public static final int SOCKET_BUFFER = 1 << 20;

    /** One connect attempt; peers that are still starting refuse fast, so this only bounds a black hole. */
    public static final Duration CONNECT_ATTEMPT = Duration.ofSeconds(1);

    /** Pause between connect attempts while a peer is not listening yet. */
    public static final Duration CONNECT_RETRY = Duration.ofMillis(100);

    /**
     * How long a freshly accepted or dialed peer may take to say hello. Generous because a peer that has just
     * started may still be loading classes (seconds under nested emulation): a dialer that gives up too early
     * leaves the acceptor holding a connection the dialer already closed, and the mesh never forms.
     */
    public static final Duration HANDSHAKE = Duration.ofSeconds(30);

    /** How often request deadlines are checked; a timed-out request fails at most this late. */
    public static final Duration TIMEOUT_SWEEP = Duration.ofMillis(20);

    /** How long close() waits for each of a transport's threads to end. */
    public static final Duration CLOSE_JOIN = Duration.ofSeconds(2);

    /** Default bound on forming the whole mesh (all nodes started, connected and past the barrier). */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
}
