package io.giantvm.engine.control;

import java.util.Map;
import java.util.Objects;

/**
 * The source a node's control server answers from, switched as the node moves through its life: what
 * it knows before its machine exists, the running machine, and after the guest stopped a fixed record
 * of how it ended (the machine and its guest RAM are gone by then; the server outlives them).
 */
public final class StatusRelay implements EngineStatusSource {
    private volatile EngineStatusSource current;

    public StatusRelay(EngineStatusSource first) {
        this.current = Objects.requireNonNull(first, "first");
    }

    public void follow(EngineStatusSource next) {
        current = Objects.requireNonNull(next, "next");
    }

    /** A source that always says the same: the last word of a node whose guest has stopped. */
    public static EngineStatusSource fixed(EngineStatus status, Map<String, Long> counters) {
        Map<String, Long> copy = Map.copyOf(counters);
        return new EngineStatusSource() {
            @Override
            public EngineStatus status() {
                return status;
            }

            @Override
            public Map<String, Long> counters() {
                return copy;
            }
        };
    }

    @Override
    public EngineStatus status() {
        return current.status();
    }

    @Override
    public Map<String, Long> counters() {
        return current.counters();
    }
}
