package io.giantvm.engine.dsm;

import java.util.concurrent.atomic.AtomicLongArray;

/** Fault latencies in power-of-two microsecond buckets: bucket b holds [2^(b-1), 2^b) µs, bucket 0 holds < 1 µs. */
public final class LatencyHistogram {
    static final int BUCKETS = 32;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    public void record(long nanos) {
        long micros = Math.max(0, nanos / 1000);
        int bucket = micros == 0 ? 0 : Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(micros));
        counts.incrementAndGet(bucket);
    }

    public long count() {
        long n = 0;
        for (int b = 0; b < BUCKETS; b++) {
            n += counts.get(b);
        }
        return n;
    }

    /** Upper bound in µs of the bucket holding the given quantile (0..1), or 0 when empty. */
    public long quantileUpperMicros(double q) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += counts.get(b);
            if (seen >= rank && counts.get(b) > 0) {
                return 1L << b;
            }
        }
        return 1L << (BUCKETS - 1);
    }

    /** e.g. {@code <1µs:0 <2µs:3 ... }, only non-empty buckets. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < BUCKETS; b++) {
            long c = counts.get(b);
            if (c > 0) {
                sb.append(sb.isEmpty() ? "" : " ").append("<").append(1L << b).append("µs:").append(c);
            }
        }
        return sb.isEmpty() ? "(none)" : sb.toString();
    }
}
