package io.giantvm.engine.forward;

import io.giantvm.engine.devices.Bus;
import io.giantvm.engine.mesh.FrameHandler;
import io.giantvm.engine.mesh.Transport;
import io.giantvm.engine.mesh.v1.Failure;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.IoReply;
import io.giantvm.engine.mesh.v1.IoRequest;
import io.giantvm.engine.mesh.v1.IoSpace;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The I/O node's side of forwarding: replays {@link IoRequest}s from other nodes on the local buses and replies.
 *
 * <p>An access to a device that {@linkplain io.giantvm.engine.devices.BusDevice#mayWaitOnMesh may wait on the
 * mesh} runs on one {@code io-server} thread, not on the transport's receive thread: the bench device reads the
 * guest's record through the DSM, whose grant may arrive on that very receive thread. An access to any other
 * device (registers only, never blocking) is served right on the receive thread that brought it, which saves a
 * thread hand-off per access; such devices already take accesses from several vCPU threads at once.
 */
public final class IoServer implements FrameHandler, AutoCloseable {
    private final Transport transport;
    private final Bus pio;
    private final Bus mmio;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name(ForwardLayout.IO_SERVER_THREAD).daemon().factory());
    private final LongAdder served = new LongAdder();

    public IoServer(Transport transport, Bus pio, Bus mmio) {
        this.transport = transport;
        this.pio = pio;
        this.mmio = mmio;
    }

    /** Forwarded accesses answered so far. */
    public long served() {
        return served.sum();
    }

    @Override
    public void onFrame(Frame frame) {
        if (frame.getBodyCase() != Frame.BodyCase.IO_REQUEST) {
            throw new IllegalStateException("I/O server got a " + frame.getBodyCase() + " frame from node " + frame.getFrom());
        }
        IoRequest r = frame.getIoRequest();
        Bus bus = r.getSpace() == IoSpace.MMIO ? mmio : pio;
        if (!bus.mayWaitOnMesh(r.getAddress())) {
            serve(frame);
            return;
        }
        try {
            worker.execute(() -> serve(frame));
        } catch (RejectedExecutionException e) {
            // Shutting down: the requester's bounded wait or its peer-down notice ends its vCPU.
        }
    }

    private void serve(Frame frame) {
        IoRequest r = frame.getIoRequest();
        Frame.Builder reply;
        try {
            Bus bus = switch (r.getSpace()) {
                case PORT -> pio;
                case MMIO -> mmio;
                default -> throw new IllegalArgumentException("forwarded access names no address space: " + r.getSpace());
            };
            long data = 0;
            if (r.getWrite()) {
                bus.write(r.getVcpu(), r.getAddress(), r.getSize(), r.getData());
            } else {
                data = bus.read(r.getVcpu(), r.getAddress(), r.getSize());
            }
            reply = Frame.newBuilder().setIoReply(IoReply.newBuilder().setData(data));
        } catch (RuntimeException e) {
            reply = Frame.newBuilder().setFailure(Failure.newBuilder().setMessage(
                    "node " + transport.self() + ": " + e.getMessage()));
        }
        served.increment();
        try {
            transport.reply(frame, reply);
        } catch (RuntimeException e) {
            // The requester is gone; its node's own failure path reports that.
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
