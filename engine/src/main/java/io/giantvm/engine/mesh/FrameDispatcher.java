package io.giantvm.engine.mesh;

import io.giantvm.engine.mesh.v1.Frame;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;

/** Routes incoming frames by body kind to the layer that owns that kind (DSM, forwarding, ...). */
public final class FrameDispatcher implements FrameHandler {
    private final Map<Frame.BodyCase, FrameHandler> routes = new EnumMap<>(Frame.BodyCase.class);

    /** Registers {@code handler} for {@code kinds}; call before the transport starts. */
    public synchronized FrameDispatcher route(FrameHandler handler, Frame.BodyCase... kinds) {
        for (Frame.BodyCase kind : kinds) {
            if (routes.putIfAbsent(kind, handler) != null) {
                throw new IllegalStateException("frame kind " + kind + " already routed");
            }
        }
        return this;
    }

    @Override
    public void onFrame(Frame frame) {
        onFrame(frame, null);
    }

    @Override
    public void onFrame(Frame frame, ByteBuffer page) {
        FrameHandler handler;
        synchronized (this) {
            handler = routes.get(frame.getBodyCase());
        }
        if (handler == null) {
            throw new IllegalStateException("no handler for frame kind " + frame.getBodyCase() + " from node " + frame.getFrom());
        }
        handler.onFrame(frame, page);
    }
}
