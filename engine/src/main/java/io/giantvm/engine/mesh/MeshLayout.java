package io.giantvm.engine.mesh;

import java.time.Duration;

/** Sizes and timings of the mesh, in one place. */
public final class MeshLayout {
    private MeshLayout() {}

    /** Bytes of the big-endian length that precedes every frame, on TCP and in an RDMA buffer. */
    public static final int LENGTH_PREFIX = 4;

    /** Largest frame accepted; a page grant is ~4.1 KiB, so anything near this is corruption. */
    public static final int MAX_FRAME = 16 << 20;

    /** A guest page: the largest bytes field any frame carries (a DSM grant's data). */
    public static final int PAGE_PAYLOAD = 4096;

    /**
     * Room in a frame for everything but the page: ids, page number, version, field tags, and the text of a
     * failure or node-failure reason. A frame beyond page plus headroom is refused on RDMA as a bug.
     */
    public static final int FRAME_HEADROOM = 1024;

    /** One RDMA send or receive buffer: the length prefix and the largest frame, as on TCP. */
    public static final int RDMA_BUFFER = LENGTH_PREFIX + PAGE_PAYLOAD + FRAME_HEADROOM;

    /**
     * Receives kept posted per RDMA connection, and send buffers per connection: how many frames may be in
     * flight to one peer before a sender waits for a send to complete.
     */
    public static final int RDMA_QUEUE_DEPTH = 32;

    /** How often a sender waiting for a free RDMA send buffer checks whether its connection broke meanwhile. */
    public static final Duration RDMA_SEND_WAIT = Duration.ofMillis(100);

    /** How long DiSNI's event threads block per wait; bounds how long closing an RDMA transport takes. */
    public static final Duration RDMA_EVENT_WAIT = Duration.ofMillis(200);

    /**
     * Each TCP connection's direct receive buffer and its direct send buffer: a read takes up to this many bytes
     * (a dozen page grants) in one system call; a frame larger than this (only protobuf control frames can be)
     * goes through an array of its own.
     */
    public static final int TCP_FRAME_BUFFER = 64 << 10;

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

    /**
     * How long a caller that waits for its reply polls before it parks ({@link ReplyWait}): about one loopback round
     * trip of a page (25-40 µs measured here), so a reply that comes as fast as the network allows finds its caller
     * awake. Longer would burn a core for replies that are slow anyway.
     */
    public static final Duration REPLY_SPIN = Duration.ofNanos(50_000);

    /**
     * How long a thread that sent a DSM page request reads the connection for the grant itself before it leaves
     * that to the connection's receive thread ({@link Transport#receiveWhile}): about one remote fault's round trip
     * (20-30 µs measured here), like {@link #REPLY_SPIN}.
     */
    public static final Duration OWN_REPLY_SPIN = Duration.ofNanos(50_000);

    /** How often request deadlines are checked; a timed-out request fails at most this late. */
    public static final Duration TIMEOUT_SWEEP = Duration.ofMillis(20);

    /** How long close() waits for each of a transport's threads to end. */
    public static final Duration CLOSE_JOIN = Duration.ofSeconds(2);

    /** Default bound on forming the whole mesh (all nodes started, connected and past the barrier). */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);
}
