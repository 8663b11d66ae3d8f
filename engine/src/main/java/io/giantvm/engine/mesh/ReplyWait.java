package io.giantvm.engine.mesh;

import io.giantvm.engine.mesh.v1.Frame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a thread that can do nothing until its reply arrives waits for it (a vCPU whose port or MMIO access was
 * forwarded): it polls the reply for up to {@link MeshLayout#REPLY_SPIN} before it parks. The reply is completed
 * on the transport's receive thread; a parked caller costs one more thread wake-up per round trip (~10-15 µs on
 * an idle core, more on a busy one), which is what made the mesh's request/reply ~1.5x a raw TCP round trip. The
 * price is up to {@link MeshLayout#REPLY_SPIN} of one core per request, on a thread that would otherwise sleep.
 */
public final class ReplyWait {
    private ReplyWait() {}

    public static Frame await(CompletableFuture<Frame> reply, long timeoutNanos)
            throws ExecutionException, TimeoutException, InterruptedException {
        long spinUntil = System.nanoTime() + MeshLayout.REPLY_SPIN.toNanos();
        while (!reply.isDone() && System.nanoTime() - spinUntil < 0) {
            Thread.onSpinWait();
        }
        return reply.get(timeoutNanos, TimeUnit.NANOSECONDS);
    }
}
