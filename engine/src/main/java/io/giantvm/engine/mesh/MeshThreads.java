package io.giantvm.engine.mesh;

import java.time.Duration;
import java.util.List;

/** Waiting for a transport's own threads when it closes. */
final class MeshThreads {
    private MeshThreads() {}

    /**
     * Joins each thread for at most {@code each}; a thread that hangs is left behind (they are daemons) rather than
     * hanging close(). Stops early, keeping the interrupt, when the caller is interrupted.
     */
    static void joinAll(List<Thread> threads, Duration each) {
        for (Thread t : threads) {
            try {
                t.join(each);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
