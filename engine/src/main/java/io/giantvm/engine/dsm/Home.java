package io.giantvm.engine.dsm;

import io.giantvm.engine.mesh.v1.DsmAccessRequest;
import io.giantvm.engine.mesh.v1.DsmConfirm;
import io.giantvm.engine.mesh.v1.DsmForward;
import io.giantvm.engine.mesh.v1.DsmGrant;
import io.giantvm.engine.mesh.v1.DsmInvalidate;
import io.giantvm.engine.mesh.v1.DsmInvalidateAck;
import io.giantvm.engine.mesh.v1.Frame;
import java.util.BitSet;

/**
 * The home role of a {@link DsmNode}: the manager of the pages homed here. It serializes the requests for each
 * page ({@link HomeDirectory}), invalidates copy holders, and asks the owner to hand the page over — by calling
 * {@link Holder#ownerStep} directly when the owner is this node. Runs under the node's protocol lock.
 */
final class Home {
    private final DsmNode node;
    final HomeDirectory directory;

    Home(DsmNode node, HomeDirectory directory) {
        this.node = node;
        this.directory = directory;
    }

    void onRequest(int from, DsmAccessRequest r) {
        long page = r.getPage();
        if (node.homes.homeOf(page) != node.self) {
            throw new IllegalStateException("node " + from + " asked node " + node.self + " for page 0x" + Long.toHexString(page)
                    + " whose home is node " + node.homes.homeOf(page));
        }
        if (from != node.self) {
            node.stats.homeRequestsServed.increment();
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

    void start(HomeDirectory.Txn txn, HomeDirectory.Request request) {
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
                node.stats.zeroGrants.increment();
                node.post(requester, DsmNode.grant(page, Access.READ, directory.version(page)).setZero(true));
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
            node.stats.invalidationsSent.increment();
            node.post(n, Frame.newBuilder().setDsmInvalidate(DsmInvalidate.newBuilder().setPage(page).setVersion(directory.version(page))));
        }
    }

    void onInvalidateAck(int from, DsmInvalidateAck ack) {
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

    void grantWrite(long page, HomeDirectory.Request request) {
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
            DsmGrant.Builder g = DsmNode.grant(page, Access.WRITE, next);
            if (requesterCopyValid) {
                g.setUpgrade(true);
            } else {
                node.stats.zeroGrants.increment();
                g.setZero(true);
            }
            node.post(requester, g);
            homeGranted(page, requester, next);
        } else {
            forwardTo(owner, page, requester, Access.WRITE, !requesterCopyValid, next);
        }
        // Owner, copyset and version change at the confirm: until then the old owner may still hold its copy,
        // and the copyset must keep listing every holder.
    }

    void onConfirm(int from, DsmConfirm confirm) {
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
    void homeGranted(long page, int grantee, long version) {
        if (node.homeGrantsNeedNoConfirm && grantee != node.self) {
            finish(directory.txn(page), page, grantee, version);
        }
    }

    /** The grantee holds {@code version} of {@code page} now: record a write's new owner and serve the next request. */
    void finish(HomeDirectory.Txn txn, long page, int grantee, long version) {
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

    /**
     * The home asks the owner to hand {@code page} over. When the home is the owner, it calls {@link #ownerStep}
     * directly instead of sending itself a frame (a loopback frame cost a serialization and a lock round trip).
     * It is always the last thing the home does in a step, so the owner step never runs in the middle of one.
     */
    void forwardTo(int owner, long page, int to, Access access, boolean sendData, long version) {
        if (owner == node.self) {
            node.holder.ownerStep(page, to, access, sendData, version);
        } else {
            node.post(owner, forward(page, to, access, sendData, version));
        }
    }

    private static Frame.Builder forward(long page, int to, Access access, boolean sendData, long version) {
        return Frame.newBuilder().setDsmForward(DsmForward.newBuilder().setPage(page).setTo(to).setMode(access.wire())
                .setSendData(sendData).setVersion(version));
    }
}
