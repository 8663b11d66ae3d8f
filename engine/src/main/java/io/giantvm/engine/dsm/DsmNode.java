package io.giantvm.engine.dsm;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.giantvm.engine.mesh.FrameHandler;
import io.giantvm.engine.mesh.Transport;
import io.giantvm.engine.mesh.v1.DsmAccessRequest;
import io.giantvm.engine.mesh.v1.DsmConfirm;
import io.giantvm.engine.mesh.v1.DsmForward;
import io.giantvm.engine.mesh.v1.DsmGrant;
import io.giantvm.engine.mesh.v1.DsmInvalidate;
import io.giantvm.engine.mesh.v1.DsmInvalidateAck;
import io.giantvm.engine.mesh.v1.Frame;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * One node of the Ivy DSM: the cache side (this node's copies and its outstanding faults) and the manager side
 * (the directory of the pages homed here). See the package documentation for the protocol.
 *
 * <p>Concurrency: one protocol lock guards all state, and every handler runs to completion under it without
 * waiting for anything remote. Frames produced under the lock are sent after it is released, in the order they
 * were produced ({@link Outbox}), so a transport that blocks on a full socket never holds up the protocol. Futures
 * of faults are completed under the lock, so an access queued behind a fault ({@link #accessAsync}) runs before any
 * later invalidation can take the page away.
 */
public final class DsmNode implements FrameHandler, AutoCloseable {
    private final int self;
    private final Transport transport;
    private final HomeMap homes;
    private final PageMemory memory;
    private final Duration faultTimeout;
    private final DsmStats stats;

    private final ReentrantLock lock = new ReentrantLock();
    private final byte[] state;
    private final long[] version;
    private final Map<Long, Fault> faults = new HashMap<>();
    private final HomeDirectory directory;
    private final Outbox outbox;
    /** Whether a grant the home sends itself is final without the grantee's confirm; see {@link #homeGranted}. */
    private final boolean homeGrantsNeedNoConfirm;
    private final Hold hold;
    /** When each page's last fault grant was installed here ({@link Hold}); 0: never. */
    private final long[] grantedAt;
    /** Owner and copy-holder steps waiting for their page's hold to end, per page in arrival order. */
    private final Map<Long, ArrayDeque<Runnable>> held = new HashMap<>();
    private String stopReason;

    /** A fault this node is waiting on; later faults on the same page wait on the same grant. */
    private static final class Fault {
        final Access access;
        final long startNanos = System.nanoTime();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Fault(Access access) {
            this.access = access;
        }
    }

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
        this.directory = new HomeDirectory(homes.firstPage(self), homes.endPage(self), homes.nodeCount());
        this.outbox = new Outbox(transport);
        this.homeGrantsNeedNoConfirm = transport.deliversInOrder();
        this.hold = hold;
        this.grantedAt = new long[pages];
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
                grant = requestAccessLocked(page, access);
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
            return requestAccessLocked(page, access).thenCompose(v -> accessAsync(page, access, op));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            unlockAndFlush();
        }
    }

    /** Starts (or joins) a fault for {@code page}; completes when the page is installed with {@code access}. */
    public CompletableFuture<Void> requestAccess(long page, Access access) {
        lock.lock();
        try {
            return requestAccessLocked(page, access);
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

    private CompletableFuture<Void> requestAccessLocked(long page, Access access) {
        checkPage(page);
        if (permits(page, access)) {
            return CompletableFuture.completedFuture(null);
        }
        if (stopReason != null) {
            return CompletableFuture.failedFuture(new DsmFaultException(describe(page, access) + " refused: " + stopReason));
        }
        Fault pending = faults.get(page);
        if (pending != null) {
            if (pending.access.covers(access)) {
                return pending.done;
            }
            // A read is on its way and we need write: ask again once it has landed.
            return pending.done.thenCompose(v -> requestAccess(page, access));
        }
        PageState s = stateOf(page);
        FaultKind kind = access == Access.READ ? FaultKind.READ_MISSING
                : s == PageState.SHARED ? FaultKind.WRITE_PROTECT : FaultKind.WRITE_MISSING;
        stats.fault(kind);
        Fault fault = new Fault(access);
        faults.put(page, fault);
        long have = s == PageState.INVALID ? 0 : version[(int) page];
        post(homes.homeOf(page), Frame.newBuilder().setDsmRequest(DsmAccessRequest.newBuilder()
                .setPage(page).setMode(access.wire()).setHaveVersion(have)));
        return fault.done;
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
            if (faults.containsKey(page)) {
                throw new IllegalStateException(describe(page, faults.get(page).access) + " is in flight while the page is"
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

    private void refuseStatic(long page, String what) {
        if (stateOf(page) == PageState.STATIC) {
            throw new IllegalStateException("node " + self + " got " + what + " for static page 0x" + Long.toHexString(page)
                    + ", which left the protocol on every node");
        }
    }

    // ---------------------------------------------------------------- incoming frames

    @Override
    public void onFrame(Frame frame) {
        lock.lock();
        try {
            if (stopReason != null) {
                return; // the VM is stopping; waiting faults have failed already
            }
            int from = frame.getFrom();
            switch (frame.getBodyCase()) {
                case DSM_REQUEST -> onRequest(from, frame.getDsmRequest());
                case DSM_FORWARD -> onForward(frame.getDsmForward());
                case DSM_GRANT -> onGrant(from, frame.getDsmGrant());
                case DSM_INVALIDATE -> onInvalidate(from, frame.getDsmInvalidate());
                case DSM_INVALIDATE_ACK -> onInvalidateAck(from, frame.getDsmInvalidateAck());
                case DSM_CONFIRM -> onConfirm(from, frame.getDsmConfirm());
                default -> throw new IllegalStateException("DSM got a " + frame.getBodyCase() + " frame from node " + from);
            }
        } finally {
            unlockAndFlush();
        }
    }

    // Manager side. Requests for one page are served one at a time, in arrival order; the next starts only when
    // the requester confirms it installed its grant, so no invalidation can overtake a grant on its way.

    private void onRequest(int from, DsmAccessRequest r) {
        long page = r.getPage();
        if (homes.homeOf(page) != self) {
            throw new IllegalStateException("node " + from + " asked node " + self + " for page 0x" + Long.toHexString(page)
                    + " whose home is node " + homes.homeOf(page));
        }
        if (from != self) {
            stats.homeRequestsServed.increment();
        }
        HomeDirectory.Request request = new HomeDirectory.Request(from, page, Access.of(r.getMode()), r.getHaveVersion());
        HomeDirectory.Txn txn = directory.txn(page);
        if (txn != null) {
            txn.queued.addLast(request); // ownership is moving: serve it after the current request is confirmed
            return;
        }
        txn = directory.begin(page);
        start(txn, request);
    }

    private void start(HomeDirectory.Txn txn, HomeDirectory.Request request) {
        txn.current = request;
        long page = request.page();
        int requester = request.from();
        int owner = directory.owner(page);
        if (request.access() == Access.READ) {
            if (owner == requester) {
                throw new IllegalStateException("owner node " + requester + " asked to read page 0x" + Long.toHexString(page) + " it owns");
            }
            directory.addToCopyset(page, requester);
            if (owner == HomeDirectory.NO_OWNER) {
                stats.zeroGrants.increment();
                post(requester, grant(page, Access.READ, directory.version(page)).setZero(true));
                homeGranted(page, requester, directory.version(page));
            } else {
                forwardTo(owner, page, requester, Access.READ, true, directory.version(page));
            }
            return;
        }
        BitSet others = directory.copyset(page);
        others.clear(requester);
        if (owner != HomeDirectory.NO_OWNER) {
            others.clear(owner); // the owner gives up its copy when it forwards the page
        }
        txn.acksPending = others.cardinality();
        if (txn.acksPending == 0) {
            grantWrite(page, request);
            return;
        }
        // In parallel: every holder is asked at once, and the write is granted when the last ack is in.
        for (int n = others.nextSetBit(0); n >= 0; n = others.nextSetBit(n + 1)) {
            stats.invalidationsSent.increment();
            post(n, Frame.newBuilder().setDsmInvalidate(DsmInvalidate.newBuilder().setPage(page).setVersion(directory.version(page))));
        }
    }

    private void onInvalidateAck(int from, DsmInvalidateAck ack) {
        long page = ack.getPage();
        HomeDirectory.Txn txn = directory.txn(page);
        if (txn == null || txn.acksPending <= 0) {
            throw new IllegalStateException("unexpected invalidation ack for page 0x" + Long.toHexString(page) + " from node " + from);
        }
        directory.removeFromCopyset(page, from);
        if (--txn.acksPending == 0) {
            grantWrite(page, txn.current);
        }
    }

    private void grantWrite(long page, HomeDirectory.Request request) {
        int requester = request.from();
        int owner = directory.owner(page);
        long current = directory.version(page);
        boolean requesterCopyValid = directory.inCopyset(page, requester) && request.haveVersion() == current;
        long next = current + 1;
        directory.addToCopyset(page, requester); // listed before it can hold the page
        if (owner == HomeDirectory.NO_OWNER || owner == requester) {
            if (owner == requester && !requesterCopyValid) {
                throw new IllegalStateException("owner node " + requester + " of page 0x" + Long.toHexString(page) + " has version "
                        + request.haveVersion() + ", home has " + current);
            }
            DsmGrant.Builder g = grant(page, Access.WRITE, next);
            if (requesterCopyValid) {
                g.setUpgrade(true);
            } else {
                stats.zeroGrants.increment();
                g.setZero(true);
            }
            post(requester, g);
            homeGranted(page, requester, next);
        } else {
            forwardTo(owner, page, requester, Access.WRITE, !requesterCopyValid, next);
        }
        // Owner, copyset and version change at the confirm: until then the old owner may still hold its copy,
        // and the copyset must keep listing every holder.
    }

    private void onConfirm(int from, DsmConfirm confirm) {
        long page = confirm.getPage();
        HomeDirectory.Txn txn = directory.txn(page);
        if (txn == null || txn.current == null || txn.current.from() != from || txn.acksPending != 0) {
            throw new IllegalStateException("unexpected confirm for page 0x" + Long.toHexString(page) + " from node " + from);
        }
        finish(txn, page, from, confirm.getVersion());
    }

    /**
     * The home has just posted a grant of {@code page} to {@code grantee} itself (a zero grant, an upgrade, or the
     * page when the home is its owner). On a transport that delivers in order, that grant is final at once: every
     * later frame the home sends {@code grantee} leaves after it on the same connection and is handled after it on
     * the grantee's receive thread, so the grantee cannot meet an invalidation or forward before it installed the
     * grant, and it sends no confirm. That saves a frame and a thread wake-up per fault in the common two-node case.
     * Grants that come from an owner other than the home still travel a different connection and are confirmed.
     */
    private void homeGranted(long page, int grantee, long version) {
        if (homeGrantsNeedNoConfirm && grantee != self) {
            finish(directory.txn(page), page, grantee, version);
        }
    }

    /** The grantee holds {@code version} of {@code page} now: record a write's new owner and serve the next request. */
    private void finish(HomeDirectory.Txn txn, long page, int grantee, long version) {
        if (txn.current.access() == Access.WRITE) {
            if (version != directory.version(page) + 1) {
                throw new IllegalStateException("page 0x" + Long.toHexString(page) + ": node " + grantee + " confirmed version "
                        + version + " after home version " + directory.version(page));
            }
            directory.setOwner(page, grantee);
            directory.clearCopyset(page);
            directory.addToCopyset(page, grantee);
            directory.setVersion(page, version);
        }
        HomeDirectory.Request next = txn.queued.pollFirst();
        if (next == null) {
            directory.end(page);
        } else {
            start(txn, next);
        }
    }

    // Owner side.

    private void onForward(DsmForward f) {
        ownerStep(f.getPage(), f.getTo(), Access.of(f.getMode()), f.getSendData(), f.getVersion());
    }

    /**
     * The home asks the owner to hand {@code page} over. When the home is the owner, it calls {@link #ownerStep}
     * directly instead of sending itself a frame (a loopback frame cost a serialization and a lock round trip).
     * It is always the last thing the home does in a step, so the owner step never runs in the middle of one.
     */
    private void forwardTo(int owner, long page, int to, Access access, boolean sendData, long version) {
        if (owner == self) {
            ownerStep(page, to, access, sendData, version);
        } else {
            post(owner, forward(page, to, access, sendData, version));
        }
    }

    private void ownerStep(long page, int to, Access access, boolean sendData, long version) {
        refuseStatic(page, "a forward");
        if (deferWhileHeld(page, () -> ownerStep(page, to, access, sendData, version))) {
            return;
        }
        PageState s = stateOf(page);
        if (s == PageState.INVALID) {
            throw new IllegalStateException("node " + self + " asked to hand page 0x" + Long.toHexString(page) + " to node "
                    + to + " but holds no copy");
        }
        if (to != self) {
            stats.ownerForwardsServed.increment();
        }
        DsmGrant.Builder g = grant(page, access, version);
        if (access == Access.READ) {
            if (version != this.version[(int) page]) {
                throw new IllegalStateException("page 0x" + Long.toHexString(page) + ": home expects version " + version
                        + ", owner node " + self + " has " + this.version[(int) page]);
            }
            if (s == PageState.MODIFIED) {
                // Write-protect before copying out: a vCPU write racing with the copy would otherwise be lost.
                memory.writeProtect(page);
                setState(page, PageState.SHARED);
            }
            g.setData(ship(page));
        } else {
            if (sendData) {
                if (s == PageState.MODIFIED) {
                    // Same race as on a read: a local vCPU (or the CPU's page walker setting A/D bits) could
                    // write between the copy and the drop, and that write would be lost (e213c07).
                    memory.writeProtect(page);
                }
                g.setData(ship(page));
            } else {
                g.setUpgrade(true);
            }
            memory.drop(page);
            setState(page, PageState.INVALID);
        }
        post(to, g);
        if (homes.homeOf(page) == self) {
            homeGranted(page, to, version);
        }
    }

    /**
     * Whether {@code step}, which would take {@code page} away from this node, must wait for the page's
     * {@linkplain Hold hold} to end; if so it is queued behind any earlier held step for the page and runs when the
     * hold ends. Nothing else about the page can arrive meanwhile: the home serves one request per page at a time,
     * and the one in progress waits for this very step.
     */
    private boolean deferWhileHeld(long page, Runnable step) {
        ArrayDeque<Runnable> waiting = held.get(page);
        if (waiting != null) {
            waiting.addLast(step);
            return true;
        }
        long since = grantedAt[(int) page];
        if (since == 0 || hold.minNanos() == 0) {
            return false;
        }
        long left = hold.minNanos() - (hold.nanoTime() - since);
        if (left <= 0) {
            return false;
        }
        waiting = new ArrayDeque<>();
        waiting.addLast(step);
        held.put(page, waiting);
        stats.holdsWaited.increment();
        hold.after(left, () -> endHold(page));
        return true;
    }

    private void endHold(long page) {
        lock.lock();
        try {
            ArrayDeque<Runnable> waiting = held.remove(page);
            if (waiting == null || stopReason != null) {
                return;
            }
            grantedAt[(int) page] = 0; // the hold is over; the steps below must not wait again
            for (Runnable step : waiting) {
                step.run();
            }
        } finally {
            unlockAndFlush();
        }
    }

    private ByteString ship(long page) {
        stats.bytesSent.add(DsmLayout.PAGE_SIZE);
        // copyOut hands over a fresh array that nobody else holds, so wrapping it saves a second 4 KiB copy.
        return UnsafeByteOperations.unsafeWrap(memory.copyOut(page));
    }

    // Copy-holder side.

    private void onInvalidate(int from, DsmInvalidate inv) {
        long page = inv.getPage();
        refuseStatic(page, "an invalidation");
        if (deferWhileHeld(page, () -> onInvalidate(from, inv))) {
            return;
        }
        stats.invalidationsReceived.increment();
        // A copy newer than the invalidation is not the one the home meant; keep it. Cannot happen while homes
        // serialize each page, but a reordered or stale frame must never destroy the current copy.
        if (stateOf(page) != PageState.INVALID && version[(int) page] <= inv.getVersion()) {
            memory.drop(page);
            setState(page, PageState.INVALID);
        }
        post(from, Frame.newBuilder().setDsmInvalidateAck(DsmInvalidateAck.newBuilder().setPage(page)));
    }

    private void onGrant(int from, DsmGrant g) {
        long page = g.getPage();
        Fault fault = faults.get(page);
        Access access = Access.of(g.getMode());
        if (fault == null || fault.access != access) {
            throw new IllegalStateException("node " + self + " got an unrequested " + access + " grant of page 0x"
                    + Long.toHexString(page) + " from node " + from);
        }
        int slot = (int) page;
        if (g.getVersion() < version[slot]) {
            throw new IllegalStateException("stale grant of page 0x" + Long.toHexString(page) + ": version " + g.getVersion()
                    + " < held " + version[slot]);
        }
        boolean writable = access == Access.WRITE;
        PageState s = stateOf(page);
        if (g.getUpgrade()) {
            long expected = writable ? g.getVersion() - 1 : g.getVersion();
            if (s == PageState.INVALID || version[slot] != expected) {
                throw new IllegalStateException("upgrade of page 0x" + Long.toHexString(page) + " to version " + g.getVersion()
                        + " but node " + self + " holds " + s + " version " + version[slot]);
            }
            if (writable) {
                memory.writeUnprotect(page);
            }
        } else {
            if (s != PageState.INVALID) {
                throw new IllegalStateException("node " + self + " got page 0x" + Long.toHexString(page) + " while holding it " + s);
            }
            if (g.getZero()) {
                memory.installZero(page, writable);
            } else {
                if (g.getData().size() != DsmLayout.PAGE_SIZE) {
                    throw new IllegalStateException("grant of page 0x" + Long.toHexString(page) + " carries " + g.getData().size() + " bytes");
                }
                stats.bytesReceived.add(DsmLayout.PAGE_SIZE);
                memory.install(page, g.getData().toByteArray(), writable);
            }
        }
        version[slot] = g.getVersion();
        setState(page, writable ? PageState.MODIFIED : PageState.SHARED);
        stats.moved(page);
        faults.remove(page);
        grantedAt[slot] = Math.max(1, hold.nanoTime()); // 0 means "never granted"
        stats.faultLatency.record(System.nanoTime() - fault.startNanos);
        if (!(homeGrantsNeedNoConfirm && from == homes.homeOf(page) && from != self)) {
            post(homes.homeOf(page), Frame.newBuilder().setDsmConfirm(DsmConfirm.newBuilder().setPage(page).setVersion(g.getVersion())));
        }
        fault.done.complete(null);
    }

    // ---------------------------------------------------------------- helpers

    private static DsmGrant.Builder grant(long page, Access access, long version) {
        return DsmGrant.newBuilder().setPage(page).setMode(access.wire()).setVersion(version);
    }

    private static Frame.Builder forward(long page, int to, Access access, boolean sendData, long version) {
        return Frame.newBuilder().setDsmForward(DsmForward.newBuilder().setPage(page).setTo(to).setMode(access.wire())
                .setSendData(sendData).setVersion(version));
    }

    private void post(int to, Frame.Builder frame) {
        outbox.post(to, frame);
    }

    private void post(int to, DsmGrant.Builder grant) {
        post(to, Frame.newBuilder().setDsmGrant(grant));
    }

    private void unlockAndFlush() {
        boolean outermost = lock.getHoldCount() == 1;
        lock.unlock();
        if (outermost) {
            outbox.flush();
        }
    }

    private boolean permits(long page, Access access) {
        return stateOf(page).permits(access);
    }

    private void setState(long page, PageState s) {
        state[(int) page] = (byte) s.ordinal();
    }

    private void checkPage(long page) {
        if (page < 0 || page >= state.length) {
            throw new IllegalArgumentException("page 0x" + Long.toHexString(page) + " is outside guest memory (" + state.length + " pages)");
        }
    }

    private String describe(long page, Access access) {
        return "node " + self + ": " + access.name().toLowerCase() + " fault on page 0x" + Long.toHexString(page)
                + " (guest address 0x" + Long.toHexString(DsmLayout.addressOf(page)) + ")";
    }

    /** Fails every waiting fault and refuses new ones; the VM is stopping. */
    public void stop(String reason) {
        List<Fault> failed;
        lock.lock();
        try {
            if (stopReason != null) {
                return;
            }
            stopReason = reason;
            held.clear();
            failed = new ArrayList<>(faults.values());
            faults.clear();
        } finally {
            unlockAndFlush();
        }
        for (Fault f : failed) {
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
        return directory;
    }

    int outstandingFaults() {
        return faults.size();
    }
}
