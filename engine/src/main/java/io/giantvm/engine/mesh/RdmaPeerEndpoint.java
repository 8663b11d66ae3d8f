package io.giantvm.engine.mesh;

import static io.giantvm.engine.mesh.MeshLayout.RDMA_BUFFER;
import static io.giantvm.engine.mesh.MeshLayout.RDMA_QUEUE_DEPTH;

import com.ibm.disni.RdmaActiveEndpoint;
import com.ibm.disni.RdmaActiveEndpointGroup;
import com.ibm.disni.verbs.IbvMr;
import com.ibm.disni.verbs.IbvRecvWR;
import com.ibm.disni.verbs.IbvSendWR;
import com.ibm.disni.verbs.IbvSge;
import com.ibm.disni.verbs.IbvWC;
import com.ibm.disni.verbs.RdmaCmEvent;
import com.ibm.disni.verbs.RdmaCmId;
import com.ibm.disni.verbs.SVCPostRecv;
import com.ibm.disni.verbs.SVCPostSend;
import io.giantvm.engine.mesh.v1.Frame;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One reliable connection to a peer through DiSNI: two registered regions of {@link MeshLayout#RDMA_QUEUE_DEPTH}
 * buffers each, every receive buffer kept posted, the send buffers handed out one per frame in flight, and the
 * connection's completions and events turned into {@link Arrival}s for the transport's receive thread.
 *
 * <p>DiSNI calls {@link #dispatchCqEvent} on its completion thread (one per device, shared by every connection)
 * and {@link #dispatchCmEvent} on its connection-manager thread. Neither runs mesh code: a completion only decodes,
 * re-posts and queues. A handler may send and wait for a free send buffer, which only that completion thread frees,
 * so a handler running on it would deadlock the node.
 */
final class RdmaPeerEndpoint extends RdmaActiveEndpoint {
    /** What the receive thread takes: a frame, or (frame null) why the connection broke. */
    record Arrival(Frame frame, String broken) {}

    private final ByteBuffer receiveRegion = ByteBuffer.allocateDirect(RDMA_QUEUE_DEPTH * RDMA_BUFFER);
    private final ByteBuffer sendRegion = ByteBuffer.allocateDirect(RDMA_QUEUE_DEPTH * RDMA_BUFFER);
    private final SVCPostRecv[] receives = new SVCPostRecv[RDMA_QUEUE_DEPTH];
    private final SVCPostSend[] sends = new SVCPostSend[RDMA_QUEUE_DEPTH];
    private final BlockingQueue<Integer> freeSends = new ArrayBlockingQueue<>(RDMA_QUEUE_DEPTH);
    private final BlockingQueue<Arrival> arrivals = new LinkedBlockingQueue<>();
    private final AtomicReference<String> broken = new AtomicReference<>();
    private final CompletableFuture<Void> established = new CompletableFuture<>();
    /** Held around every post, so none runs on a queue pair that close() is destroying. A leaf lock. */
    private final Object posting = new Object();
    private boolean closed; // guarded by posting
    private volatile IbvMr receiveMr;
    private volatile IbvMr sendMr;

    RdmaPeerEndpoint(RdmaActiveEndpointGroup<RdmaPeerEndpoint> group, RdmaCmId id, boolean serverSide) throws IOException {
        super(group, id, serverSide);
    }

    /** DiSNI calls this once the queue pair exists, before connect or accept: the peer may send as soon as it connects. */
    @Override
    protected synchronized void init() throws IOException {
        super.init();
        receiveMr = registerMemory(receiveRegion).execute().free().getMr();
        sendMr = registerMemory(sendRegion).execute().free().getMr();
        for (int slot = 0; slot < RDMA_QUEUE_DEPTH; slot++) {
            IbvRecvWR receive = new IbvRecvWR();
            receive.setWr_id(RdmaWorkId.receive(slot));
            receive.setSg_list(buffer(receiveMr, slot));
            receive.setNum_sge(1);
            receives[slot] = postRecv(List.of(receive));
            receives[slot].execute();

            IbvSendWR send = new IbvSendWR();
            send.setWr_id(RdmaWorkId.send(slot));
            send.setSg_list(buffer(sendMr, slot));
            send.setNum_sge(1);
            send.setOpcode(IbvSendWR.IBV_WR_SEND);
            send.setSend_flags(IbvSendWR.IBV_SEND_SIGNALED); // its completion frees the buffer
            sends[slot] = postSend(List.of(send));
            freeSends.add(slot);
        }
    }

    private static LinkedList<IbvSge> buffer(IbvMr region, int slot) {
        IbvSge sge = new IbvSge();
        sge.setAddr(region.getAddr() + (long) slot * RDMA_BUFFER);
        sge.setLength(RDMA_BUFFER);
        sge.setLkey(region.getLkey());
        return new LinkedList<>(List.of(sge));
    }

    private static ByteBuffer slot(ByteBuffer region, int slot) {
        return region.slice(slot * RDMA_BUFFER, RDMA_BUFFER);
    }

    /**
     * Connects to {@code address}; {@code resolveMillis} bounds address and route resolution. DiSNI 2.1's connect
     * waits without bound when the peer rejects (it is not listening yet), so it runs on its own thread, which is
     * interrupted when the attempt gives up: at once on a connection-manager error, else after the hello bound (a
     * listening peer that is slow to accept is starting, and abandoning it would leave its acceptor waiting).
     */
    void dial(InetSocketAddress address, int resolveMillis, String threadName) throws IOException, InterruptedException {
        Thread connecting = Thread.ofPlatform().name(threadName).daemon().start(() -> {
            try {
                connect(address, resolveMillis);
            } catch (Exception e) {
                established.completeExceptionally(e);
            }
        });
        try {
            established.get(MeshLayout.HANDSHAKE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            connecting.interrupt();
            throw new IOException(String.valueOf(e.getCause().getMessage()), e.getCause());
        } catch (TimeoutException e) {
            connecting.interrupt();
            throw new IOException("no connection within " + MeshLayout.HANDSHAKE);
        }
    }

    /** Sends one frame; waits while every send buffer is in flight. Throws IOException once the connection broke. */
    void send(Frame frame) throws IOException, InterruptedException {
        int slot = takeSendBuffer();
        try {
            int length = FrameCodec.encode(frame, slot(sendRegion, slot));
            SVCPostSend post = sends[slot];
            post.getWrMod(0).getSgeMod(0).setLength(length);
            synchronized (posting) {
                if (closed) {
                    throw new IOException("closed");
                }
                post.execute();
            }
        } catch (IOException | RuntimeException e) {
            freeSends.add(slot);
            throw e;
        }
    }

    private int takeSendBuffer() throws IOException, InterruptedException {
        while (true) {
            String why = broken.get();
            if (why != null) {
                throw new IOException(why);
            }
            Integer slot = freeSends.poll(MeshLayout.RDMA_SEND_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (slot != null) {
                return slot;
            }
        }
    }

    /** The next frame or breakage, waiting without bound (the receive thread). */
    Arrival next() throws InterruptedException {
        return arrivals.take();
    }

    /** The next frame or breakage; null after {@code timeout} (a peer that does not say hello). */
    Arrival next(Duration timeout) throws InterruptedException {
        return arrivals.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Records why the connection is unusable, once, and wakes the receive thread with it. */
    void markBroken(String why) {
        if (broken.compareAndSet(null, why)) {
            arrivals.add(new Arrival(null, why));
        }
    }

    @Override
    public void dispatchCqEvent(IbvWC wc) {
        long id = wc.getWr_id();
        int slot = RdmaWorkId.slot(id);
        boolean send = RdmaWorkId.isSend(id);
        if (send) {
            freeSends.add(slot);
        }
        if (wc.getStatus() != IbvWC.IbvWcStatus.IBV_WC_SUCCESS.ordinal()) {
            markBroken((send ? "send" : "receive") + " failed: " + statusName(wc.getStatus()));
        } else if (!send) {
            received(slot, wc.getByte_len());
        }
    }

    private void received(int slot, int bytes) {
        try {
            arrivals.add(new Arrival(FrameCodec.decode(slot(receiveRegion, slot), bytes), null));
        } catch (IOException e) {
            markBroken("undecodable frame: " + e.getMessage());
            return;
        }
        try {
            synchronized (posting) {
                if (!closed) {
                    receives[slot].execute(); // the frame was copied out: the buffer can take the next one
                }
            }
        } catch (IOException e) {
            markBroken("cannot post a receive again: " + e.getMessage());
        }
    }

    /** The verbs name of a work completion status (the enum follows ibv_wc_status, so its ordinal is the code). */
    static String statusName(int status) {
        IbvWC.IbvWcStatus[] all = IbvWC.IbvWcStatus.values();
        return status >= 0 && status < all.length ? all[status].name() : "status " + status;
    }

    @Override
    public synchronized void dispatchCmEvent(RdmaCmEvent event) throws IOException {
        super.dispatchCmEvent(event);
        RdmaCmEvent.EventType[] all = RdmaCmEvent.EventType.values();
        int type = event.getEvent();
        if (type < 0 || type >= all.length) {
            return;
        }
        switch (all[type]) {
            case RDMA_CM_EVENT_ESTABLISHED -> established.complete(null);
            case RDMA_CM_EVENT_DISCONNECTED -> markBroken("disconnected");
            case RDMA_CM_EVENT_ADDR_ERROR, RDMA_CM_EVENT_ROUTE_ERROR, RDMA_CM_EVENT_CONNECT_ERROR,
                 RDMA_CM_EVENT_UNREACHABLE, RDMA_CM_EVENT_REJECTED, RDMA_CM_EVENT_DEVICE_REMOVAL -> {
                String why = eventName(all[type]);
                established.completeExceptionally(new IOException(why));
                markBroken(why);
            }
            default -> { } // address and route resolution, connect requests: DiSNI's own state machine
        }
    }

    /** "RDMA_CM_EVENT_CONNECT_ERROR" reads as "connect error". */
    static String eventName(RdmaCmEvent.EventType type) {
        return type.name().substring("RDMA_CM_EVENT_".length()).toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** Disconnects, frees the queue pair and the registered memory; safe from several threads, acts once. */
    @Override
    public void close() throws IOException, InterruptedException {
        synchronized (posting) {
            if (closed) {
                return;
            }
            closed = true;
        }
        markBroken("closed");
        super.close();
        if (receiveMr != null) {
            deregisterMemory(receiveMr);
            deregisterMemory(sendMr);
        }
    }
}
