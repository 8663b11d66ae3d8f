package io.giantvm.engine.dsm;

import com.google.protobuf.ByteString;
import io.giantvm.engine.mesh.FrameHandler;
import io.giantvm.engine.mesh.Transport;
import io.giantvm.engine.mesh.v1.DsmStaticPage;
import io.giantvm.engine.mesh.v1.DsmStaticPageInstalled;
import io.giantvm.engine.mesh.v1.Failure;
import io.giantvm.engine.mesh.v1.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Pages the guest declares static — it promises never to write them again — leave the Ivy protocol: every node
 * keeps a private writable copy. Meant for the guest's page tables: on AMD nested paging every guest page walk
 * counts as a write to them, so under Ivy they would move to whichever node missed its TLB last (measured on three
 * nodes under nested emulation: the PML4 and PDPT pages moved over 20,000 times each in one mutex run, and the run
 * did not finish in 600 s).
 *
 * <p>{@link #declare} reads each page through the protocol (so it gets the latest content wherever it is), sends it
 * to every other node, waits until each has installed its copy, then installs its own. The handler side serves
 * {@code DSM_STATIC_PAGE} frames. It relies on the guest's promise that nothing else touches these pages meanwhile;
 * the guest declares them before it starts its other vCPUs.
 */
public final class StaticPages implements FrameHandler {
    private final DsmNode dsm;
    private final Transport transport;
    private final Duration timeout;

    public StaticPages(DsmNode dsm, Transport transport, Duration timeout) {
        this.dsm = dsm;
        this.transport = transport;
        this.timeout = timeout;
    }

    /** Blocks: call it on a vCPU thread, never on a mesh thread (the reads may fault remotely). */
    public void declare(long firstPage, long count) {
        for (long page = firstPage; page < firstPage + count; page++) {
            long p = page;
            byte[] data = dsm.access(page, Access.READ, m -> m.copyOut(p));
            List<CompletableFuture<Frame>> installed = new ArrayList<>();
            for (int node = 0; node < transport.nodeCount(); node++) {
                if (node != transport.self()) {
                    installed.add(transport.request(node, Frame.newBuilder().setDsmStaticPage(
                            DsmStaticPage.newBuilder().setPage(page).setData(ByteString.copyFrom(data))), timeout));
                }
            }
            for (CompletableFuture<Frame> reply : installed) {
                await(reply, page);
            }
            dsm.installStatic(page, data);
        }
    }

    private void await(CompletableFuture<Frame> reply, long page) {
        String what = "node " + transport.self() + ": declaring page 0x" + Long.toHexString(page) + " static";
        try {
            reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new DsmFaultException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new DsmFaultException(what + ": no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DsmFaultException(what + " interrupted");
        }
    }

    @Override
    public void onFrame(Frame frame) {
        DsmStaticPage p = frame.getDsmStaticPage();
        if (p.getData().size() != DsmLayout.PAGE_SIZE) {
            throw new IllegalStateException("static page 0x" + Long.toHexString(p.getPage()) + " carries "
                    + p.getData().size() + " bytes");
        }
        try {
            dsm.installStatic(p.getPage(), p.getData().toByteArray());
        } catch (RuntimeException e) {
            transport.reply(frame, Frame.newBuilder().setFailure(Failure.newBuilder().setMessage(e.getMessage())));
            throw e; // a protocol bug on this node too: let the mesh report it
        }
        transport.reply(frame, Frame.newBuilder().setDsmStaticPageInstalled(
                DsmStaticPageInstalled.newBuilder().setPage(p.getPage())));
    }
}
