package io.giantvm.engine.mesh;

import io.giantvm.engine.mesh.v1.Frame;

/** Consumer of incoming frames; must not block for long, it runs on a transport receive thread. */
@FunctionalInterface
public interface FrameHandler {
    void onFrame(Frame frame);
}
