package io.giantvm.engine.dsm.bench;

import io.giantvm.engine.dsm.DsmLayout;

/** Sizes of the dsm-latency benchmark, in one place. */
final class BenchLayout {
    private BenchLayout() {}

    /** The request of the raw TCP floor: what a DSM page request roughly weighs on the wire. */
    static final int TCP_REQUEST = 64;
    static final int TCP_REPLY = DsmLayout.PAGE_SIZE;

    static final int WARMUP = 300;

    /**
     * The DSM peer is a fresh JVM: its mesh and protocol code runs interpreted or C1-compiled for the first several
     * thousand frames (measured: ~170 µs per round trip cold, ~57 µs warm), so the two-node part warms up longer.
     */
    static final int MESH_WARMUP = 10_000;
    static final int DSM_WARMUP_ROUNDS = 6;
    static final int SAMPLES = 2000;
    /** Fewer for the write faults that invalidate readers: they need 3 or 4 processes on the same cores. */
    static final int INVALIDATION_SAMPLES = 1000;

    /** Pages homed at each node of the two-node DSM; the measured pages are all homed (and owned) at node 1. */
    static final int PAGES_PER_NODE = 1024;
    /** Pages faulted per measured round; rounds repeat until enough samples. */
    static final int PAGES_PER_ROUND = 500;

    static final String CHANNEL = "bench";

    /** The port node 1 serves for the forwarded port read (any free port: the bench has no other devices). */
    static final long FORWARDED_PORT = 0x510;
    /** What that port reads as, so a wrong reply is caught. */
    static final long FORWARDED_PORT_VALUE = 0x5a;
}
