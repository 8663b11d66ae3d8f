package io.giantvm.engine.mesh;

import io.giantvm.engine.mesh.v1.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a thread that can do nothing until its reply arrives waits for it (a vCPU whose port or MMIO access was
 * forwarded): it polls the reply for up to {@link MeshLayout#REPLY_SPIN} before it parks. The reply is completed
 * on the transport's receive thread; a parked caller costs one more thread wake-up per round trip (~10-15 µs on
 * an idle core, more on a busy one), which is what made the mesh's request/reply ~1.5x a raw TCP round trip.
 *
 * <p>It polls with {@link Thread#yield}, not a pure spin: on a host whose cores are all busy, a spinning caller
 * holds the very core its own receive thread needs to complete the reply. Measured on the 2-core build host with
 * a nested QEMU and a build beside it (load ~8), interleaved blocks of 200 request/replies: park 75.7 / 70.4 µs,
 * spin ({@code onSpinWait}) 129.5 / 118.0 µs, yield 65.9 / 64.2 µs (medians of two runs). The price is up to
 * {@link MeshLayout#REPLY_SPIN} of one core per request, yielded to anyone runnable, on a thread that would
 * otherwise sleep.
 */
public final class ReplyWait {
    private ReplyWait() {}

    /**
     * Sends {@code frame} to {@code to} as a request and waits for the reply, reading the connection itself for up to
     * {@link MeshLayout#REPLY_SPIN} where the transport lets it ({@link Transport#receiveWhile}: then no receive
     * thread wakes up to hand the reply over), else polling the reply as {@link #await} does; then it parks.
     */
    public static Frame request(Transport transport, int to, Frame.Builder frame, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        List<CompletableFuture<Frame>> sent = new ArrayList<>(1);
        boolean read = transport.receiveWhile(to, () -> sent.add(transport.request(to, frame, timeout)),
                () -> !sent.getFirst().isDone(), MeshLayout.REPLY_SPIN.toNanos());
        long bound = timeout.toNanos() + TimeUnit.SECONDS.toNanos(1); // the request's own timeout fails it first
        return read ? sent.getFirst().get(bound, TimeUnit.NANOSECONDS) : await(sent.getFirst(), bound);
    }

    public static Frame await(CompletableFuture<Frame> reply, long timeoutNanos)
            throws ExecutionException, TimeoutException, InterruptedException {
        long spinUntil = System.nanoTime() + MeshLayout.REPLY_SPIN.toNanos();
        while (!reply.isDone() && System.nanoTime() - spinUntil < 0) {
            Thread.yield();
        }
        return reply.get(timeoutNanos, TimeUnit.NANOSECONDS);
    }
}
