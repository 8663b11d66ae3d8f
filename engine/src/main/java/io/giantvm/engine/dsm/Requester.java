package io.giantvm.engine.dsm;

import io.giantvm.engine.mesh.v1.DsmAccessRequest;
import io.giantvm.engine.mesh.v1.DsmConfirm;
import io.giantvm.engine.mesh.v1.DsmGrant;
import io.giantvm.engine.mesh.v1.Frame;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The requester role of a {@link DsmNode}: this node's outstanding faults. It asks the page's home, installs
 * the grant (UFFDIO_COPY, or clearing write-protect on an upgrade), confirms it where needed and completes the
 * fault's future under the protocol lock, so an access queued behind the fault runs before any later step can
 * take the page away. Runs under the node's protocol lock.
 */
final class Requester {
    private final DsmNode node;
    final Map<Long, Fault> faults = new HashMap<>();

    /** A fault this node is waiting on; later faults on the same page wait on the same grant. */
    static final class Fault {
        final Access access;
        final long startNanos = System.nanoTime();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Fault(Access access) {
            this.access = access;
        }
    }

    Requester(DsmNode node) {
        this.node = node;
    }

    CompletableFuture<Void> requestAccessLocked(long page, Access access) {
        node.checkPage(page);
        if (node.permits(page, access)) {
            return CompletableFuture.completedFuture(null);
        }
        if (node.stopReason != null) {
            return CompletableFuture.failedFuture(new DsmFaultException(node.describe(page, access) + " refused: " + node.stopReason));
        }
        Fault pending = faults.get(page);
        if (pending != null) {
            if (pending.access.covers(access)) {
                return pending.done;
            }
            // A read is on its way and we need write: ask again once it has landed.
            return pending.done.thenCompose(v -> node.requestAccess(page, access));
        }
        PageState s = node.stateOf(page);
        FaultKind kind = access == Access.READ ? FaultKind.READ_MISSING
                : s == PageState.SHARED ? FaultKind.WRITE_PROTECT : FaultKind.WRITE_MISSING;
        node.stats.fault(kind);
        Fault fault = new Fault(access);
        faults.put(page, fault);
        long have = s == PageState.INVALID ? 0 : node.version[(int) page];
        node.post(node.homes.homeOf(page), Frame.newBuilder().setDsmRequest(DsmAccessRequest.newBuilder()
                .setPage(page).setMode(access.wire()).setHaveVersion(have)));
        return fault.done;
    }

    /** {@code pageData}: the grant's page if it travelled beside the frame (a view of the receive buffer), else null. */
    void onGrant(int from, DsmGrant g, ByteBuffer pageData) {
        long page = g.getPage();
        Fault fault = faults.get(page);
        Access access = Access.of(g.getMode());
        if (fault == null || fault.access != access) {
            throw new IllegalStateException("node " + node.self + " got an unrequested " + access + " grant of page 0x"
                    + Long.toHexString(page) + " from node " + from);
        }
        int slot = (int) page;
        if (g.getVersion() < node.version[slot]) {
            throw new IllegalStateException("stale grant of page 0x" + Long.toHexString(page) + ": version " + g.getVersion()
                    + " < held " + node.version[slot]);
        }
        boolean writable = access == Access.WRITE;
        PageState s = node.stateOf(page);
        if (g.getUpgrade()) {
            long expected = writable ? g.getVersion() - 1 : g.getVersion();
            if (s == PageState.INVALID || node.version[slot] != expected) {
                throw new IllegalStateException("upgrade of page 0x" + Long.toHexString(page) + " to version " + g.getVersion()
                        + " but node " + node.self + " holds " + s + " version " + node.version[slot]);
            }
            if (writable) {
                node.memory.writeUnprotect(page);
            }
        } else {
            if (s != PageState.INVALID) {
                throw new IllegalStateException("node " + node.self + " got page 0x" + Long.toHexString(page) + " while holding it " + s);
            }
            if (g.getZero()) {
                node.memory.installZero(page, writable);
            } else {
                // On TCP a view of the connection's direct receive buffer: UFFDIO_COPY reads the page from there.
                ByteBuffer data = pageData != null ? pageData : g.getData().asReadOnlyByteBuffer();
                if (data.remaining() != DsmLayout.PAGE_SIZE) {
                    throw new IllegalStateException("grant of page 0x" + Long.toHexString(page) + " carries " + data.remaining() + " bytes");
                }
                node.stats.bytesReceived.add(DsmLayout.PAGE_SIZE);
                node.memory.install(page, data, writable);
            }
        }
        node.version[slot] = g.getVersion();
        node.setState(page, writable ? PageState.MODIFIED : PageState.SHARED);
        node.stats.moved(page);
        faults.remove(page);
        node.grantedAt[slot] = Math.max(1, node.hold.nanoTime()); // 0 means "never granted"
        node.stats.faultLatency.record(System.nanoTime() - fault.startNanos);
        if (!(node.homeGrantsNeedNoConfirm && from == node.homes.homeOf(page) && from != node.self)) {
            node.post(node.homes.homeOf(page), Frame.newBuilder().setDsmConfirm(DsmConfirm.newBuilder().setPage(page).setVersion(g.getVersion())));
        }
        fault.done.complete(null);
    }
}
