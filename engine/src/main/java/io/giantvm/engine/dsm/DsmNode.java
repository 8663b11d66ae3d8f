package io.giantvm.engine.dsm;

import io.giantvm.engine.mesh.FrameHandler;
import io.giantvm.engine.mesh.MeshLayout;
import io.giantvm.engine.mesh.Transport;
import io.giantvm.engine.mesh.v1.DsmGrant;
import io.giantvm.engine.mesh.v1.Frame;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One node of the Ivy DSM: the public fault API, the protocol lock and the dispatch of incoming frames to the
 * three roles a node plays for each page, each in a file of its own so the page path reads in one place:
 * {@link Requester} (this node's faults and the installing of grants), {@link Home} (the manager of the pages
 * homed here) and {@link Holder} (the owner handing a page over, a copy holder dropping it). See the package
 * documentation for the protocol.
 *
 * <p>Concurrency: one protocol lock guards all state, and every handler runs to completion under it without
 * waiting for anything remote. Frames produced under the lock are sent after it is released, in the order they
 * were produced ({@link Outbox}), so a transport that blocks on a full socket never holds up the protocol. Futures
 * of faults are completed under the lock, so an access queued behind a fault ({@link #accessAsync}) runs before any
 * later invalidation can take the page away.
 */
public final class DsmNode implements FrameHandler, AutoCloseable {
    // Shared by the three roles below; all guarded by the protocol lock.
    final int self;
    private final Transport transport;
    final HomeMap homes;
    final PageMemory memory;
    private final Duration faultTimeout;
    final DsmStats stats;

    final ReentrantLock lock = new ReentrantLock();
    private final byte[] state;
    final long[] version;
    private final Outbox outbox;
    /** Frames this node posted to itself, handled before the protocol lock is released ({@link #post}). */
    private final ArrayDeque<Frame> local = new ArrayDeque<>();
    /** Whether a grant the home sends itself is final without the grantee's confirm; see {@link Home#homeGranted}. */
    final boolean homeGrantsNeedNoConfirm;
    final Hold hold;
    /** When each page's last fault grant was installed here ({@link Hold}); 0: never. */
    final long[] grantedAt;
    String stopReason;

    // The page path by role: the home serializes, the holder hands over or drops, the requester faults and installs.
    final Home home;
    final Holder holder;
    final Requester requester;

    public DsmNode(Transport transport, HomeMap homes, PageMemory memory, Duration faultTimeout) {
        this(transport, homes, memory, faultTimeout, Hold.system(DsmLayout.MIN_HOLD_NANOS));
    }

    public DsmNode(Transport transport, HomeMap homes, PageMemory memory, Duration faultTimeout, Hold hold) {
        if (homes.nodeCount() != transport.nodeCount()) {
            throw new IllegalArgumentException("home map has " + homes.nodeCount() + " nodes, mesh has " + transport.nodeCount());
        }
        this.self = transport.self();
        this.transport = transport;
        this.homes = homes;
        this.memory = memory;
        this.faultTimeout = faultTimeout;
        int pages = Math.toIntExact(homes.pageCount());
        this.state = new byte[pages];
        this.version = new long[pages];
        this.stats = new DsmStats(self, pages);
        this.outbox = new Outbox(transport);
        this.homeGrantsNeedNoConfirm = transport.deliversInOrder();
        this.hold = hold;
        this.grantedAt = new long[pages];
        this.home = new Home(this, new HomeDirectory(homes.firstPage(self), homes.endPage(self), homes.nodeCount()));
        this.holder = new Holder(this);
        this.requester = new Requester(this);
        transport.addPeerDownListener(node -> stop("node " + node + " is down"));
    }

    public int self() {
        return self;
    }

    public DsmStats stats() {
        return stats;
    }

    public HomeMap homes() {
        return homes;
    }

    // ---------------------------------------------------------------- faulting side

    /** Blocks until this node may read {@code page}; a uffd missing fault on a read. */
    public void readFault(long page) {
        await(page, Access.READ);
    }

    /** Blocks until this node may write {@code page}; a uffd missing fault on a write, or a write-protect fault. */
    public void writeFault(long page) {
        await(page, Access.WRITE);
    }

    /** Blocks until {@code access} is permitted, then runs {@code op} on the memory before anyone can revoke it. */
    public <T> T access(long page, Access access, Function<PageMemory, T> op) {
        long deadline = System.nanoTime() + faultTimeout.toNanos();
        while (true) {
            CompletableFuture<Void> grant;
            lock.lock();
            try {
                if (permits(page, access)) {
                    return op.apply(memory);
                }
                grant = requester.requestAccessLocked(page, access);
            } finally {
                unlockAndFlush();
            }
            waitFor(grant, page, access, deadline);
        }
    }

    /** Non-blocking {@link #access}: {@code op} runs, under the protocol lock, as soon as the grant is installed. */
    public <T> CompletableFuture<T> accessAsync(long page, Access access, Function<PageMemory, T> op) {
        lock.lock();
        try {
            if (permits(page, access)) {
                return CompletableFuture.completedFuture(op.apply(memory));
            }
            return requester.requestAccessLocked(page, access).thenCompose(v -> accessAsync(page, access, op));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            unlockAndFlush();
        }
    }

    /** A fault's grant, and whether the page was usable already when it was asked for (nothing was requested, nothing failed). */
    public record Request(CompletableFuture<Void> grant, boolean usableAlready) {}

    /**
     * {@link #requestAccess} for the thread that raised the fault (a uffd reader), which then takes the grant off the
     * connection it comes on itself, for at most {@link MeshLayout#OWN_REPLY_SPIN} and while {@code idle} holds (it
     * has nothing else to do), instead of sleeping until that connection's receive thread installs it: one thread
     * wake-up less on the fault path ({@link Transport#receiveWhile}). Frames that arrive meanwhile are handled on
     * the calling thread, in order, as the receive thread would.
     */
    public Request requestAndReceive(long page, Access access, BooleanSupplier idle) {
        int from = expectedGranter(page);
        if (from < 0 || from == self) {
            CompletableFuture<Void> grant = requestAccess(page, access);
            return new Request(grant, usable(grant));
        }
        Asked asked = new Asked();
        boolean read = transport.receiveWhile(from, () -> {
            asked.grant = requestAccess(page, access);
            asked.usableAlready = usable(asked.grant);
        }, asked.stillWaiting(idle), MeshLayout.OWN_REPLY_SPIN.toNanos());
        if (read && !asked.usableAlready && asked.grant.isDone()) {
            stats.ownGrants.increment(); // it read the connection from before the request left until the grant was in
        }
        return new Request(asked.grant, asked.usableAlready);
    }

    /** What {@link #requestAndReceive} asked for, filled in on the calling thread once the transport runs the send. */
    private static final class Asked {
        CompletableFuture<Void> grant;
        boolean usableAlready;

        /** The grant is not installed yet, and {@code idle} (a system call) still true when asked every 8th time. */
        BooleanSupplier stillWaiting(BooleanSupplier idle) {
            int[] calls = {0};
            return () -> !grant.isDone() && ((++calls[0] & 7) != 0 || idle.getAsBoolean());
        }
    }

    /**
     * Where the grant of a fault on {@code page} comes from: the home, or when the home is this node, the owner it
     * forwarded the request to (the owner changes only when a grant is installed). A guess when the home is
     * another node that forwards to a third (the grant then comes from that owner): it costs only the budget.
     */
    private int expectedGranter(long page) {
        int homeNode = homes.homeOf(page);
        if (homeNode != self) {
            return homeNode;
        }
        lock.lock();
        try {
            return home.directory.owner(page); // NO_OWNER (never written) is negative: the grant was a local one
        } finally {
            unlockAndFlush();
        }
    }

    private static boolean usable(CompletableFuture<Void> grant) {
        return grant.isDone() && !grant.isCompletedExceptionally();
    }

    /** Starts (or joins) a fault for {@code page}; completes when the page is installed with {@code access}. */
    public CompletableFuture<Void> requestAccess(long page, Access access) {
        lock.lock();
        try {
            return requester.requestAccessLocked(page, access);
        } finally {
            unlockAndFlush();
        }
    }

    private void await(long page, Access access) {
        access(page, access, m -> null);
    }

    private void waitFor(CompletableFuture<Void> grant, long page, Access access, long deadline) {
        try {
            grant.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new DsmFaultException(describe(page, access) + " not granted within " + faultTimeout.toMillis()
                    + " ms (home node " + homes.homeOf(page) + "; a peer is dead or wedged)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof DsmFaultException d ? new DsmFaultException(d.getMessage(), d) : new DsmFaultException(describe(page, access) + " failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DsmFaultException(describe(page, access) + " interrupted");
        }
    }

    // ---------------------------------------------------------------- static pages

    /**
     * Takes {@code page} out of the protocol on this node: it becomes present, writable and private with
     * {@code data}, and never faults again ({@link PageState#STATIC}). {@link StaticPages} does this on every node.
     */
    void installStatic(long page, byte[] data) {
        lock.lock();
        try {
            checkPage(page);
            if (requester.faults.containsKey(page)) {
                throw new IllegalStateException(describe(page, requester.faults.get(page).access) + " is in flight while the page is"
                        + " declared static: the guest broke its promise that nothing else touches it");
            }
            switch (stateOf(page)) {
                case INVALID -> memory.install(page, data, true);
                case SHARED -> {
                    memory.writeUnprotect(page);
                    memory.write(DsmLayout.addressOf(page), data, 0, data.length);
                }
                case MODIFIED, STATIC -> memory.write(DsmLayout.addressOf(page), data, 0, data.length);
            }
            setState(page, PageState.STATIC);
        } finally {
            unlockAndFlush();
        }
    }

    void refuseStatic(long page, String what) {
        if (stateOf(page) == PageState.STATIC) {
            throw new IllegalStateException("node " + self + " got " + what + " for static page 0x" + Long.toHexString(page)
                    + ", which left the protocol on every node");
        }
    }

    // ---------------------------------------------------------------- incoming frames

    @Override
    public void onFrame(Frame frame) {
        onFrame(frame, null);
    }

    /** {@code page}: a grant's page that travelled beside the frame, a view of the receive buffer valid until return. */
    @Override
    public void onFrame(Frame frame, ByteBuffer page) {
        lock.lock();
        try {
            if (stopReason != null) {
                return; // the VM is stopping; waiting faults have failed already
            }
            handleLocked(frame, page);
        } finally {
            unlockAndFlush();
        }
    }

    private void handleLocked(Frame frame, ByteBuffer page) {
        int from = frame.getFrom();
        switch (frame.getBodyCase()) {
            case DSM_REQUEST -> home.onRequest(from, frame.getDsmRequest());
            case DSM_FORWARD -> holder.onForward(frame.getDsmForward());
            case DSM_GRANT -> requester.onGrant(from, frame.getDsmGrant(), page);
            case DSM_INVALIDATE -> holder.onInvalidate(from, frame.getDsmInvalidate());
            case DSM_INVALIDATE_ACK -> home.onInvalidateAck(from, frame.getDsmInvalidateAck());
            case DSM_CONFIRM -> home.onConfirm(from, frame.getDsmConfirm());
            default -> throw new IllegalStateException("DSM got a " + frame.getBodyCase() + " frame from node " + from);
        }
    }

    // Manager side. Requests for one page are served one at a time, in arrival order; the next starts only when
    // the requester confirms it installed its grant, so no invalidation can overtake a grant on its way.

    // Owner side.

    // Copy-holder side.

    // ---------------------------------------------------------------- helpers

    static DsmGrant.Builder grant(long page, Access access, long version) {
        return DsmGrant.newBuilder().setPage(page).setMode(access.wire()).setVersion(version);
    }

    /**
     * Sends {@code frame} once the protocol lock is released. A frame to this node itself (a fault on a page homed
     * here, the home's grant or invalidation to its own copy) does not go through the transport: it is handled
     * before the lock is released ({@link #unlockAndFlush}), in the order posted, on the same thread. It still
     * waits for the step that posted it to end, so no step runs in the middle of another.
     */
    void post(int to, Frame.Builder frame) {
        if (to == self) {
            local.addLast(frame.setFrom(self).build());
            return;
        }
        outbox.post(to, frame);
    }

    void post(int to, DsmGrant.Builder grant) {
        post(to, Frame.newBuilder().setDsmGrant(grant));
    }

    void unlockAndFlush() {
        boolean outermost = lock.getHoldCount() == 1;
        try {
            if (outermost) {
                for (Frame f = local.pollFirst(); f != null; f = local.pollFirst()) {
                    if (stopReason == null) {
                        handleLocked(f, null);
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (outermost) {
            outbox.flush();
        }
    }

    boolean permits(long page, Access access) {
        return stateOf(page).permits(access);
    }

    void setState(long page, PageState s) {
        state[(int) page] = (byte) s.ordinal();
    }

    void checkPage(long page) {
        if (page < 0 || page >= state.length) {
            throw new IllegalArgumentException("page 0x" + Long.toHexString(page) + " is outside guest memory (" + state.length + " pages)");
        }
    }

    String describe(long page, Access access) {
        return "node " + self + ": " + access.name().toLowerCase() + " fault on page 0x" + Long.toHexString(page)
                + " (guest address 0x" + Long.toHexString(DsmLayout.addressOf(page)) + ")";
    }

    /** Fails every waiting fault and refuses new ones; the VM is stopping. */
    public void stop(String reason) {
        List<Requester.Fault> failed;
        lock.lock();
        try {
            if (stopReason != null) {
                return;
            }
            stopReason = reason;
            holder.held.clear();
            failed = new ArrayList<>(requester.faults.values());
            requester.faults.clear();
        } finally {
            unlockAndFlush();
        }
        for (Requester.Fault f : failed) {
            f.done.completeExceptionally(new DsmFaultException("node " + self + ": fault cannot complete: " + reason));
        }
    }

    @Override
    public void close() {
        stop("DSM closed");
    }

    // ---------------------------------------------------------------- inspection (tests, stats, invariant checks)

    public PageState stateOf(long page) {
        return PageState.values()[state[(int) page]];
    }

    long versionOf(long page) {
        return version[(int) page];
    }

    /** Runs {@code inspection} under the protocol lock, so it sees a consistent state of this node. */
    <T> T inspect(Function<DsmNode, T> inspection) {
        lock.lock();
        try {
            return inspection.apply(this);
        } finally {
            unlockAndFlush();
        }
    }

    HomeDirectory directory() {
        return home.directory;
    }

    int outstandingFaults() {
        return requester.faults.size();
    }
}
