package io.giantvm.engine.dsm;

import java.time.Duration;

/** The DSM's sizes and bounds, in one place. */
public final class DsmLayout {
    private DsmLayout() {}

    /** Coherence granule: the x86 small page, which is also what userfaultfd resolves. */
    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;

    /**
     * Longest a fault may wait for its grant. A remote fault takes ~0.1 ms on loopback; seconds mean a peer is
     * dead or wedged, and the VM must stop loudly rather than hang a vCPU.
     */
    public static final Duration DEFAULT_FAULT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Shortest time a page granted to a fault stays before an invalidation or forward takes it away ({@link Hold}).
     * Long enough for the woken vCPU thread to be scheduled and retry its access (a wake-up costs ~10-100 µs on a
     * busy host), short against a remote fault's ~100 µs, so it caps a contended page at ~5000 moves a second
     * per direction while it costs an uncontended page nothing (the hold only delays a step that comes that soon).
     */
    public static final long MIN_HOLD_NANOS = 200_000;

    /** How many of the most-moved pages the stats list. */
    public static final int TOP_PAGES = 8;

    public static long pageOf(long address) {
        return address >>> PAGE_SHIFT;
    }

    public static long addressOf(long page) {
        return page << PAGE_SHIFT;
    }
}
