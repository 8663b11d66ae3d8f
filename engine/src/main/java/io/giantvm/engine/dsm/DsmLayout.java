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

    /** How many of the most-moved pages the stats list. */
    public static final int TOP_PAGES = 8;

    public static long pageOf(long address) {
        return address >>> PAGE_SHIFT;
    }

    public static long addressOf(long page) {
        return page << PAGE_SHIFT;
    }
}
