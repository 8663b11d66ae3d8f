package io.giantvm.engine.clock;

import io.giantvm.engine.mesh.FrameHandler;
import io.giantvm.engine.mesh.Transport;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.VmClock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Agreeing on the VM's clock over the mesh (see the package docs): node 0 answers, every other node asks.
 */
public final class VmClockChannel implements FrameHandler {
    /** Node 0, whose clock and TSC rate are the VM's. */
    public static final int REFERENCE_NODE = 0;
    /** Exchanges per agreement: the shortest round trip of these bounds the offset's error. */
    static final int SAMPLES = 8;

    /** The VM's clock as this node sees it: add {@code offsetNanos} to this host's clock to get the VM's. */
    public record Agreement(long epochNanos, long offsetNanos, long tscKhz, long roundTripNanos) {}

    private final Transport transport;
    private final long epochNanos;
    private final long tscKhz;

    /** {@code epochNanos} matters only on the reference node; {@code tscKhz} is this node's vCPUs' rate. */
    public VmClockChannel(Transport transport, long epochNanos, long tscKhz) {
        this.transport = transport;
        this.epochNanos = epochNanos;
        this.tscKhz = tscKhz;
    }

    /** Blocks until this node knows the VM's clock (at most {@code bound} per exchange); the mesh must be up. */
    public Agreement agree(Duration bound) throws InterruptedException {
        if (transport.self() == REFERENCE_NODE) {
            return new Agreement(epochNanos, 0, tscKhz, 0);
        }
        ClockSample best = null;
        VmClock reference = null;
        for (int i = 0; i < SAMPLES; i++) {
            long sent = GuestTsc.nowNanos();
            Frame reply;
            try {
                reply = transport.request(REFERENCE_NODE, Frame.newBuilder().setVmClock(VmClock.getDefaultInstance()), bound)
                        .get(bound.toMillis() + 100, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("node " + transport.self() + ": node " + REFERENCE_NODE
                        + " did not answer a clock query within " + bound.toMillis() + " ms", e);
            }
            ClockSample s = new ClockSample(sent, reply.getVmClock().getNowNs(), GuestTsc.nowNanos());
            if (best == null || s.roundTripNanos() < best.roundTripNanos()) {
                best = s;
                reference = reply.getVmClock();
            }
        }
        return new Agreement(reference.getEpochNs(), best.offsetWithinItsError(), reference.getTscKhz(), best.roundTripNanos());
    }

    @Override
    public void onFrame(Frame frame) {
        if (frame.getBodyCase() != Frame.BodyCase.VM_CLOCK || frame.getId() == 0) {
            throw new IllegalStateException("VM clock got a " + frame.getBodyCase() + " frame from node " + frame.getFrom());
        }
        transport.reply(frame, Frame.newBuilder().setVmClock(VmClock.newBuilder()
                .setEpochNs(epochNanos).setNowNs(GuestTsc.nowNanos()).setTscKhz((int) tscKhz)));
    }
}
