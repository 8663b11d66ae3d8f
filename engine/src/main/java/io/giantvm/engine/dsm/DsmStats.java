package io.giantvm.engine.dsm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/** One node's DSM counters. Updated under the protocol lock or atomically; read at any time. */
public final class DsmStats {
    private final int node;
    private final Map<FaultKind, LongAdder> faults = new EnumMap<>(FaultKind.class);
    final LongAdder homeRequestsServed = new LongAdder();
    final LongAdder ownerForwardsServed = new LongAdder();
    final LongAdder invalidationsSent = new LongAdder();
    final LongAdder invalidationsReceived = new LongAdder();
    final LongAdder bytesSent = new LongAdder();
    final LongAdder bytesReceived = new LongAdder();
    final LongAdder zeroGrants = new LongAdder();
    /** Invalidations or forwards that waited for a granted page's hold ({@link Hold}): contention. */
    final LongAdder holdsWaited = new LongAdder();
    /** Grants that the faulting thread took off the connection itself ({@link DsmNode#requestAndReceive}). */
    final LongAdder ownGrants = new LongAdder();
    final LatencyHistogram faultLatency = new LatencyHistogram();
    /** Grants this node received, per page: pages that keep moving are thrashing or falsely shared. */
    private final AtomicIntegerArray moves;

    /** A page and how many times it came to this node. */
    public record PageMoves(long page, int moves) {}

    DsmStats(int node, long pageCount) {
        this.node = node;
        for (FaultKind k : FaultKind.values()) {
            faults.put(k, new LongAdder());
        }
        this.moves = new AtomicIntegerArray(Math.toIntExact(pageCount));
    }

    void fault(FaultKind kind) {
        faults.get(kind).increment();
    }

    void moved(long page) {
        moves.incrementAndGet((int) page);
    }

    public long faults(FaultKind kind) {
        return faults.get(kind).sum();
    }

    /** Requests this node handled for other nodes, as home and as owner. */
    public long remoteRequestsServed() {
        return homeRequestsServed.sum() + ownerForwardsServed.sum();
    }

    public long invalidationsSent() {
        return invalidationsSent.sum();
    }

    public long invalidationsReceived() {
        return invalidationsReceived.sum();
    }

    public long bytesSent() {
        return bytesSent.sum();
    }

    public long bytesReceived() {
        return bytesReceived.sum();
    }

    public long zeroGrants() {
        return zeroGrants.sum();
    }

    public long ownGrants() {
        return ownGrants.sum();
    }

    public long holdsWaited() {
        return holdsWaited.sum();
    }

    public LatencyHistogram faultLatency() {
        return faultLatency;
    }

    public int moves(long page) {
        return moves.get((int) page);
    }

    public long totalMoves() {
        long n = 0;
        for (int i = 0; i < moves.length(); i++) {
            n += moves.get(i);
        }
        return n;
    }

    public List<PageMoves> topMovedPages(int limit) {
        List<PageMoves> all = new ArrayList<>();
        for (int i = 0; i < moves.length(); i++) {
            int m = moves.get(i);
            if (m > 0) {
                all.add(new PageMoves(i, m));
            }
        }
        all.sort(Comparator.comparingInt(PageMoves::moves).reversed().thenComparingLong(PageMoves::page));
        return all.subList(0, Math.min(limit, all.size()));
    }

    /** A few human-readable lines for the end of {@code giantvm run}. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append("node ").append(node).append(" dsm: faults read-missing=").append(faults(FaultKind.READ_MISSING))
                .append(" write-missing=").append(faults(FaultKind.WRITE_MISSING))
                .append(" write-protect=").append(faults(FaultKind.WRITE_PROTECT))
                .append(" remote-served=").append(remoteRequestsServed())
                .append(" inval-sent=").append(invalidationsSent())
                .append(" inval-recv=").append(invalidationsReceived())
                .append(" bytes-sent=").append(bytesSent())
                .append(" bytes-recv=").append(bytesReceived())
                .append(" zero-grants=").append(zeroGrants())
                .append(" own-grants=").append(ownGrants())
                .append(" held=").append(holdsWaited()).append('\n');
        sb.append("node ").append(node).append(" fault latency: ").append(faultLatency.format())
                .append(" (p50<=").append(faultLatency.quantileUpperMicros(0.5)).append("µs p99<=")
                .append(faultLatency.quantileUpperMicros(0.99)).append("µs)\n");
        sb.append("node ").append(node).append(" most moved pages:");
        for (PageMoves p : topMovedPages(DsmLayout.TOP_PAGES)) {
            sb.append(" 0x").append(Long.toHexString(DsmLayout.addressOf(p.page()))).append("=").append(p.moves());
        }
        return sb.toString();
    }
}
