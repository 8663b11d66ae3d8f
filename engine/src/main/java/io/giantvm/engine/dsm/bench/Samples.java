package io.giantvm.engine.dsm.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, summarized as median and p99 in microseconds. */
final class Samples {
    private final long[] nanos;
    private int n;

    Samples(int capacity) {
        nanos = new long[capacity];
    }

    void add(long ns) {
        if (n < nanos.length) {
            nanos[n++] = ns;
        }
    }

    int count() {
        return n;
    }

    double medianMicros() {
        return quantileMicros(0.5);
    }

    double p99Micros() {
        return quantileMicros(0.99);
    }

    double quantileMicros(double q) {
        if (n == 0) {
            return Double.NaN;
        }
        long[] s = Arrays.copyOf(nanos, n);
        Arrays.sort(s);
        return s[Math.min(n - 1, (int) Math.ceil(q * n) - 1)] / 1000.0;
    }

    String summary() {
        return String.format("median %.1f µs, p99 %.1f µs (n=%d)", medianMicros(), p99Micros(), n);
    }
}
