package io.giantvm.engine.mesh;

import io.giantvm.engine.mesh.v1.Frame;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * The receiving half of one TCP connection: frames read into one direct buffer per connection, as many bytes per
 * read as the socket holds (often several frames in one system call), and decoded in place. A DSM grant's page is
 * not copied out: it stays in the buffer and {@link #page} hands it over as a view beside the frame, so UFFDIO_COPY
 * reads the page from where the socket put it. That view is valid until the next {@link #next} call; the
 * connection's one receive thread hands each frame to its handler to completion before it reads the next.
 */
final class FrameReader {
    private final ReadableByteChannel channel;
    /** Read mode: the bytes between position and limit arrived and are not yet returned. */
    private final ByteBuffer buffer;
    /** The page of the frame returned last, a view of {@link #buffer}; null if it carried none. */
    private ByteBuffer page;

    FrameReader(ReadableByteChannel channel, int capacity) {
        this.channel = channel;
        this.buffer = ByteBuffer.allocateDirect(capacity).flip();
    }

    /** The next frame; null on a clean end of stream between frames. */
    Frame next() throws IOException {
        page = null;
        if (!fill(MeshLayout.LENGTH_PREFIX)) {
            return null;
        }
        int length = FrameCodec.frameLength(buffer, buffer.position());
        if (length > buffer.capacity()) {
            return readLarge(length);
        }
        if (!fill(length)) {
            throw new EOFException("connection closed inside a frame");
        }
        ByteBuffer frame = buffer.slice(buffer.position(), length);
        buffer.position(buffer.position() + length);
        Frame f = FrameCodec.decode(frame, true);
        page = DsmWire.page(frame);
        return f;
    }

    /** The page that travelled with the frame {@link #next} returned last (a DSM grant's), until the next call; or null. */
    ByteBuffer page() {
        return page;
    }

    /**
     * Makes at least {@code needed} unread bytes available; false if the stream ended before any byte of them,
     * an EOFException if it ended in the middle.
     */
    private boolean fill(int needed) throws IOException {
        if (buffer.remaining() >= needed) {
            return true;
        }
        boolean empty = !buffer.hasRemaining();
        buffer.compact(); // write mode; overwrites the frame returned last, which its handler is done with
        try {
            while (buffer.position() < needed) {
                if (channel.read(buffer) < 0) {
                    if (empty && buffer.position() == 0) {
                        return false;
                    }
                    throw new EOFException("connection closed " + buffer.position() + " bytes into a frame");
                }
            }
        } finally {
            buffer.flip();
        }
        return true;
    }

    /** A protobuf frame larger than the buffer (rare: control frames only): read into an array of its own. */
    private Frame readLarge(int length) throws IOException {
        ByteBuffer whole = ByteBuffer.allocate(length);
        whole.put(buffer);
        while (whole.hasRemaining()) {
            if (channel.read(whole) < 0) {
                throw new EOFException("connection closed " + whole.position() + " bytes into a frame of " + length);
            }
        }
        return FrameCodec.decode(whole.flip(), false);
    }
}
