package io.giantvm.engine.dsm;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The progress guarantee under contention: a page granted to a fault stays with the faulting node for at least
 * {@link #minNanos} before an invalidation or a forward may take it away, so the woken vCPU gets to use it once.
 *
 * <p>Why it is needed: on an in-order transport the home serves the next request for a page as soon as it has
 * sent the grant, and the invalidation or forward that follows travels right behind the grant on the same
 * connection. The grantee's receive thread handles both before the vCPU it woke has run, so two vCPUs spinning
 * on one lock could move the page back and forth forever without either of them ever executing its store.
 * The hold is time-based (as Mirage's window) because a node cannot see when a vCPU has retried its access.
 *
 * <p>A clock and a timer, so that the simulation can run it on its own time.
 */
public interface Hold {
    /** How long a granted page stays; 0 turns the hold off. */
    long minNanos();

    long nanoTime();

    /** Runs {@code task} once, at least {@code delayNanos} from now, on some thread. */
    void after(long delayNanos, Runnable task);

    /** Wall-clock hold of {@code minNanos}; the delayed step runs on the common pool's timer. */
    static Hold system(long minNanos) {
        return new Hold() {
            @Override
            public long minNanos() {
                return minNanos;
            }

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void after(long delayNanos, Runnable task) {
                CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS).execute(task);
            }
        };
    }

    /** No hold: every step runs as soon as its frame is handled (the manual simulations that step frame by frame). */
    static Hold none() {
        return system(0);
    }
}
