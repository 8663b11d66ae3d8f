package io.giantvm.engine.mesh;

import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.os.DupSocket;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * The receiving half of one TCP connection: frames read into one direct buffer per connection, as many bytes per
 * read as the socket holds (often several frames in one system call), and decoded in place. A DSM grant's page is
 * not copied out: it stays in the buffer and {@link #page} hands it over as a view beside the frame, so UFFDIO_COPY
 * reads the page from where the socket put it. That view is valid until the next call that reads or returns a frame;
 * whoever reads the connection (its receive thread, or a caller waiting for its reply: see {@code TcpTransport}) hands
 * each frame to its handler to completion before it reads the next. One reader at a time.
 */
final class FrameReader {
    private final ReadableByteChannel channel;
    /** Read mode: the bytes between position and limit arrived and are not yet returned. */
    private final ByteBuffer buffer;
    /** {@link #buffer}'s memory, for receiving into it natively. */
    private final MemorySegment memory;
    /** The page of the frame returned last, a view of {@link #buffer}; null if it carried none. */
    private ByteBuffer page;

    FrameReader(ReadableByteChannel channel, int capacity) {
        this.channel = channel;
        ByteBuffer b = ByteBuffer.allocateDirect(capacity);
        this.memory = MemorySegment.ofBuffer(b); // the whole capacity: taken before the flip empties the buffer
        this.buffer = b.flip();
    }

    /** The next frame, reading (blocking) until it is whole; null on a clean end of stream between frames. */
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
        return take(length);
    }

    /**
     * The next frame if it has arrived whole and fits the buffer, else null (leaving any part of it buffered); the
     * same view rules as {@link #next}.
     */
    Frame nextBuffered() throws IOException {
        page = null;
        if (buffer.remaining() < MeshLayout.LENGTH_PREFIX) {
            return null;
        }
        int length = FrameCodec.frameLength(buffer, buffer.position());
        return length <= buffer.capacity() && buffer.remaining() >= length ? take(length) : null;
    }

    /** Whether the next frame is larger than the buffer: only {@link #next} reads it. */
    boolean largeFrameAhead() throws IOException {
        return buffer.remaining() >= MeshLayout.LENGTH_PREFIX
                && FrameCodec.frameLength(buffer, buffer.position()) > buffer.capacity();
    }

    /**
     * Appends what the socket holds, without waiting, through {@code socket} (a duplicate of this connection's
     * descriptor). Invalidates the page view.
     *
     * @return bytes received, 0 at end of stream, or {@link DupSocket#NOTHING_YET}
     */
    int receiveNow(DupSocket socket) throws IOException {
        page = null;
        buffer.compact(); // write mode
        try {
            if (!buffer.hasRemaining()) {
                return DupSocket.NOTHING_YET; // full of one unfinished frame of exactly this size: room comes as it is taken
            }
            int n = socket.receiveNow(memory.asSlice(buffer.position(), buffer.remaining()));
            if (n > 0) {
                buffer.position(buffer.position() + n);
            }
            return n;
        } finally {
            buffer.flip();
        }
    }

    private Frame take(int length) throws IOException {
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
