package io.giantvm.engine.dsm;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * The manager's record of the pages homed at this node: owner, copyset and version of each, and the one
 * request per page in progress with the requests queued behind it. Guarded by the node's protocol lock.
 *
 * <p>Copyset invariant: it contains every node holding a readable copy (a node is added before its grant is
 * sent and removed only after it acknowledged dropping its copy). Outside a transaction it is exactly them.
 */
final class HomeDirectory {
    static final int NO_OWNER = -1;

    /** A request from {@code from}; {@code haveVersion} is meaningful only if {@code from} is in the copyset. */
    record Request(int from, long page, Access access, long haveVersion) {}

    /** The transaction in progress on one page. */
    static final class Txn {
        Request current;
        int acksPending;
        final ArrayDeque<Request> queued = new ArrayDeque<>();
    }

    private final long firstPage;
    private final int words;
    private final int[] owner;
    private final long[] version;
    private final long[] copyset;
    private final Map<Long, Txn> active = new HashMap<>();

    HomeDirectory(long firstPage, long endPage, int nodeCount) {
        this.firstPage = firstPage;
        int pages = Math.toIntExact(endPage - firstPage);
        this.words = (nodeCount + 63) / 64;
        this.owner = new int[pages];
        java.util.Arrays.fill(owner, NO_OWNER);
        this.version = new long[pages];
        this.copyset = new long[pages * words];
    }

    private int slot(long page) {
        return (int) (page - firstPage);
    }

    int owner(long page) {
        return owner[slot(page)];
    }

    void setOwner(long page, int node) {
        owner[slot(page)] = node;
    }

    long version(long page) {
        return version[slot(page)];
    }

    void setVersion(long page, long v) {
        version[slot(page)] = v;
    }

    boolean inCopyset(long page, int node) {
        return (copyset[slot(page) * words + node / 64] & (1L << (node % 64))) != 0;
    }

    void addToCopyset(long page, int node) {
        copyset[slot(page) * words + node / 64] |= 1L << (node % 64);
    }

    void removeFromCopyset(long page, int node) {
        copyset[slot(page) * words + node / 64] &= ~(1L << (node % 64));
    }

    void clearCopyset(long page) {
        java.util.Arrays.fill(copyset, slot(page) * words, slot(page) * words + words, 0L);
    }

    BitSet copyset(long page) {
        long[] w = new long[words];
        System.arraycopy(copyset, slot(page) * words, w, 0, words);
        return BitSet.valueOf(w);
    }

    Txn txn(long page) {
        return active.get(page);
    }

    Txn begin(long page) {
        return active.computeIfAbsent(page, p -> new Txn());
    }

    void end(long page) {
        active.remove(page);
    }

    int activeTransactions() {
        return active.size();
    }
}
