package io.giantvm.engine.dsm;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.giantvm.engine.mesh.v1.DsmForward;
import io.giantvm.engine.mesh.v1.DsmGrant;
import io.giantvm.engine.mesh.v1.DsmInvalidate;
import io.giantvm.engine.mesh.v1.DsmInvalidateAck;
import io.giantvm.engine.mesh.v1.Frame;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The holder role of a {@link DsmNode}: the owner of a page hands it over when its home asks (write-protect,
 * copy out, grant; drop on a write), and a copy holder drops its copy on an invalidation. Both wait for a freshly
 * granted page's {@link Hold} first. Runs under the node's protocol lock.
 */
final class Holder {
    private final DsmNode node;
    /** Owner and copy-holder steps waiting for their page's hold to end, per page in arrival order. */
    final Map<Long, ArrayDeque<Runnable>> held = new HashMap<>();

    Holder(DsmNode node) {
        this.node = node;
    }

    void onForward(DsmForward f) {
        ownerStep(f.getPage(), f.getTo(), Access.of(f.getMode()), f.getSendData(), f.getVersion());
    }

    void ownerStep(long page, int to, Access access, boolean sendData, long version) {
        node.refuseStatic(page, "a forward");
        if (deferWhileHeld(page, () -> ownerStep(page, to, access, sendData, version))) {
            return;
        }
        PageState s = node.stateOf(page);
        if (s == PageState.INVALID) {
            throw new IllegalStateException("node " + node.self + " asked to hand page 0x" + Long.toHexString(page) + " to node "
                    + to + " but holds no copy");
        }
        if (to != node.self) {
            node.stats.ownerForwardsServed.increment();
        }
        DsmGrant.Builder g = DsmNode.grant(page, access, version);
        if (access == Access.READ) {
            if (version != node.version[(int) page]) {
                throw new IllegalStateException("page 0x" + Long.toHexString(page) + ": home expects version " + version
                        + ", owner node " + node.self + " has " + node.version[(int) page]);
            }
            if (s == PageState.MODIFIED) {
                // Write-protect before copying out: a vCPU write racing with the copy would otherwise be lost.
                node.memory.writeProtect(page);
                node.setState(page, PageState.SHARED);
            }
            g.setData(ship(page));
        } else {
            if (sendData) {
                if (s == PageState.MODIFIED) {
                    // Same race as on a read: a local vCPU (or the CPU's page walker setting A/D bits) could
                    // write between the copy and the drop, and that write would be lost (e213c07).
                    node.memory.writeProtect(page);
                }
                g.setData(ship(page));
            } else {
                g.setUpgrade(true);
            }
            node.memory.drop(page);
            node.setState(page, PageState.INVALID);
        }
        node.post(to, g);
        if (node.homes.homeOf(page) == node.self) {
            node.home.homeGranted(page, to, version);
        }
    }

    /**
     * Whether {@code step}, which would take {@code page} away from this node, must wait for the page's
     * {@linkplain Hold hold} to end; if so it is queued behind any earlier held step for the page and runs when the
     * hold ends. Nothing else about the page can arrive meanwhile: the home serves one request per page at a time,
     * and the one in progress waits for this very step.
     */
    boolean deferWhileHeld(long page, Runnable step) {
        ArrayDeque<Runnable> waiting = held.get(page);
        if (waiting != null) {
            waiting.addLast(step);
            return true;
        }
        long since = node.grantedAt[(int) page];
        if (since == 0 || node.hold.minNanos() == 0) {
            return false;
        }
        long left = node.hold.minNanos() - (node.hold.nanoTime() - since);
        if (left <= 0) {
            return false;
        }
        waiting = new ArrayDeque<>();
        waiting.addLast(step);
        held.put(page, waiting);
        node.stats.holdsWaited.increment();
        node.hold.after(left, () -> endHold(page));
        return true;
    }

    void endHold(long page) {
        node.lock.lock();
        try {
            ArrayDeque<Runnable> waiting = held.remove(page);
            if (waiting == null || node.stopReason != null) {
                return;
            }
            node.grantedAt[(int) page] = 0; // the hold is over; the steps below must not wait again
            for (Runnable step : waiting) {
                step.run();
            }
        } finally {
            node.unlockAndFlush();
        }
    }

    ByteString ship(long page) {
        node.stats.bytesSent.add(DsmLayout.PAGE_SIZE);
        // copyOut hands over a fresh array that nobody else holds, so wrapping it saves a second 4 KiB copy.
        return UnsafeByteOperations.unsafeWrap(node.memory.copyOut(page));
    }

    void onInvalidate(int from, DsmInvalidate inv) {
        long page = inv.getPage();
        node.refuseStatic(page, "an invalidation");
        if (deferWhileHeld(page, () -> onInvalidate(from, inv))) {
            return;
        }
        node.stats.invalidationsReceived.increment();
        // A copy newer than the invalidation is not the one the home meant; keep it. Cannot happen while homes
        // serialize each page, but a reordered or stale frame must never destroy the current copy.
        if (node.stateOf(page) != PageState.INVALID && node.version[(int) page] <= inv.getVersion()) {
            node.memory.drop(page);
            node.setState(page, PageState.INVALID);
        }
        node.post(from, Frame.newBuilder().setDsmInvalidateAck(DsmInvalidateAck.newBuilder().setPage(page)));
    }
}
