package io.giantvm.engine.mesh;

import io.giantvm.engine.mesh.v1.Frame;
import java.nio.ByteBuffer;

/**
 * Consumer of incoming frames; must not block for long, and must never wait for the mesh or for a DSM fault: it runs
 * on a transport receive thread, or on a thread that took a connection over to read its own answer (a uffd reader, a
 * vCPU; see {@link Transport#receiveWhile}), which may be the very thread that would have to serve that fault.
 */
@FunctionalInterface
public interface FrameHandler {
    void onFrame(Frame frame);

    /**
     * A frame whose page travelled beside it: a DSM grant on the binary wire ({@link DsmWire}), whose own data is
     * empty, and {@code page}, a view of the transport's receive buffer that is valid only until this returns (so
     * the DSM can UFFDIO_COPY from where the page arrived). {@code page} is null for every other frame. By default
     * the page is copied into the frame, for handlers that keep frames.
     */
    default void onFrame(Frame frame, ByteBuffer page) {
        onFrame(page == null ? frame : DsmWire.withPage(frame, page));
    }
}
