package io.giantvm.engine.cpu;

import io.giantvm.engine.kvm.ExitReason;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Exits of one vCPU by reason, plus kicks. Written by the vCPU thread only; read by anyone
 * (stats, control API), hence atomic slots with plain-cost writes from a single writer.
 */
public final class ExitCounters {
    private static final int REASONS = 64;
    private static final int KICKS = REASONS;
    private final AtomicLongArray counts = new AtomicLongArray(REASONS + 1);

    void exit(int reason) {
        int slot = reason >= 0 && reason < REASONS ? reason : 0;
        counts.lazySet(slot, counts.get(slot) + 1);
    }

    void kick() {
        counts.lazySet(KICKS, counts.get(KICKS) + 1);
    }

    public long count(int reason) {
        return counts.get(reason);
    }

    public long kicks() {
        return counts.get(KICKS);
    }

    public long total() {
        long t = 0;
        for (int i = 0; i < REASONS; i++) {
            t += counts.get(i);
        }
        return t;
    }

    /** Non-zero counts by exit reason name, for stats output. */
    public Map<String, Long> byName() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < REASONS; i++) {
            if (counts.get(i) != 0) {
                m.put(ExitReason.name(i), counts.get(i));
            }
        }
        if (kicks() != 0) {
            m.put("kicks", kicks());
        }
        return m;
    }
}
