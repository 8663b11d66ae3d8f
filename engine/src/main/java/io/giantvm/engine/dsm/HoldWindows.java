package io.giantvm.engine.dsm;

/**
 * How long each page's {@link Hold} lasts, adapted per page to how contended it is. A page wanted back while it is
 * still held holds twice as long after its next grant; one left alone for more than twice its window holds half
 * as long. Windows run from {@link Hold#minNanos} up to a cap of {@link DsmLayout#HOLD_FAULTS_PER_WINDOW} remote fault times.
 *
 * <p>Why: the minimum only lets the woken vCPU use a page once. When two nodes keep needing one page, every use
 * then costs a whole remote fault and the vCPUs spend their time waiting for pages. Linux's kernel page tables
 * are that case. With NPT, and with EPT when it keeps accessed/dirty bits, every guest page-table page that a walk
 * touches is accessed as a write, so each TLB miss on one node takes the walked pages from the other. Under the
 * nested harness (QEMU TCG, which empties its TLB at every world switch) that cost a 2-node Linux 35 minutes to
 * reach {@code /init}, with {@code level3_kernel_pgt} and {@code init_top_pgt} moving 250,000 times each. Holding a
 * contended page for a few fault times gives each node a slice of work per move instead of one access: with
 * a window of {@code k} fault times the share of time lost to moves falls to about {@code 1/(1+k)} per node.
 * The price is paid by pages that are handed over for a reason, a lock passed from one vCPU to another: the next
 * holder can wait up to a window for it.
 *
 * <p>The cap follows the measured remote fault time, so on a fast network the windows stay near the minimum and
 * under nesting (milliseconds a fault) they grow with it. Only faults that no hold delayed feed the estimate (the
 * grant says so, {@code DsmGrant.held}): a delayed fault measures the window, and counting it would let the cap
 * feed on itself. An absolute cap keeps a pathological fault time from becoming a pathological hold. Mirage
 * (Fleisch and Popek, SOSP 1989) tuned such a window per page by hand.
 *
 * <p>Not thread-safe: used under the node's protocol lock.
 */
final class HoldWindows {
    /** Weight of a new fault time in the running average: 1/8, smooth over a few dozen faults. */
    private static final int AVERAGE_SHIFT = 3;

    private final Hold hold;
    private final DsmStats stats;
    /** When each page's last fault grant was installed here; 0: never, or its hold is over. */
    private final long[] grantedAt;
    /** Per page: how many times the minimum window has doubled. */
    private final byte[] doublings;
    /** Running average of remote fault times no hold delayed, on the hold's clock; 0 until the first. */
    private long faultNanos;
    private int widePages;
    private long widestNanos;

    HoldWindows(Hold hold, int pages, DsmStats stats) {
        this.hold = hold;
        this.stats = stats;
        this.grantedAt = new long[pages];
        this.doublings = new byte[pages];
    }

    /** A fault's grant for {@code page} was installed now; {@code remoteFaultNanos}: its time if no hold delayed it, else -1. */
    void granted(int page, long remoteFaultNanos) {
        grantedAt[page] = Math.max(1, hold.nanoTime()); // 0 means "never granted"
        if (remoteFaultNanos > 0) {
            faultNanos = faultNanos == 0 ? remoteFaultNanos : faultNanos + ((remoteFaultNanos - faultNanos) >> AVERAGE_SHIFT);
            stats.holdFaultNanos = faultNanos;
        }
    }

    /**
     * How long a step that would take {@code page} away now must wait; 0: it may run. A step inside the window is
     * contention, and widens the page's next window; one after twice the window narrows it.
     */
    long remaining(int page) {
        long since = grantedAt[page];
        if (since == 0 || hold.minNanos() == 0) {
            return 0;
        }
        long window = windowNanos(page);
        long elapsed = hold.nanoTime() - since;
        if (elapsed < window) {
            widen(page);
            return window - elapsed;
        }
        if (elapsed > 2 * window) {
            narrow(page);
        }
        return 0;
    }

    /** The page's hold is over; steps that were waiting for it run now and must not wait again. */
    void ended(int page) {
        grantedAt[page] = 0;
    }

    long windowNanos(int page) {
        return Math.min(capNanos(), hold.minNanos() << doublings[page]);
    }

    /** The longest window a page may get now: {@link DsmLayout#HOLD_FAULTS_PER_WINDOW} remote fault times, within bounds. */
    long capNanos() {
        long min = hold.minNanos();
        return Math.max(min, Math.min(DsmLayout.MAX_HOLD_NANOS, DsmLayout.HOLD_FAULTS_PER_WINDOW * faultNanos));
    }

    /** The running average of remote fault times that no hold delayed; 0 before the first. */
    long faultNanos() {
        return faultNanos;
    }

    /** Pages whose window is wider than the minimum now. */
    int widePages() {
        return widePages;
    }

    /** The widest window any page has had. */
    long widestNanos() {
        return widestNanos;
    }

    private void widen(int page) {
        int d = doublings[page];
        if (hold.minNanos() << d >= capNanos()) {
            return; // at the cap (which is below 2^25 ns, so the shift never overflows)
        }
        doublings[page] = (byte) (d + 1);
        if (d == 0) {
            stats.wideHoldPages = ++widePages;
        }
        widestNanos = Math.max(widestNanos, windowNanos(page));
        stats.widestHoldNanos = widestNanos;
    }

    private void narrow(int page) {
        int d = doublings[page];
        if (d == 0) {
            return;
        }
        doublings[page] = (byte) (d - 1);
        if (d == 1) {
            stats.wideHoldPages = --widePages;
        }
    }
}
