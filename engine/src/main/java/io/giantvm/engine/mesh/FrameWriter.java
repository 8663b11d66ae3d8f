package io.giantvm.engine.mesh;

import io.giantvm.engine.mesh.v1.Frame;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * The sending half of one TCP connection: each frame is encoded into one direct buffer per connection (a DSM
 * grant's page copied there straight from the frame) and leaves in one write, under the connection's lock, so
 * frames never interleave. A frame larger than the buffer (rare: control frames only) gets an array of its own.
 */
final class FrameWriter {
    private final WritableByteChannel channel;
    private final ByteBuffer buffer;

    FrameWriter(WritableByteChannel channel, int capacity) {
        this.channel = channel;
        this.buffer = ByteBuffer.allocateDirect(capacity);
    }

    /**
     * Writes {@code frame} whole. A socket channel closes itself when the writing thread is interrupted, which would
     * take the whole connection down for one thread's interrupt: the flag is set aside around the write and restored.
     * The lock is a leaf: nothing else is locked while holding it.
     */
    synchronized void write(Frame frame) throws IOException {
        int size = FrameCodec.size(frame);
        ByteBuffer out;
        if (size <= buffer.capacity()) {
            FrameCodec.encode(frame, buffer.clear()); // absolute writes stay within the limit: clear it first
            out = buffer.limit(size);
        } else {
            out = ByteBuffer.allocate(size);
            FrameCodec.encode(frame, out);
        }
        boolean interrupted = Thread.interrupted();
        try {
            while (out.hasRemaining()) {
                channel.write(out);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
