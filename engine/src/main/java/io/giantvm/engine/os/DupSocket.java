package io.giantvm.engine.os;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.SocketAddress;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A duplicate of a connected JDK socket's descriptor ({@link SocketFds}), for receiving without blocking
 * ({@code recv(MSG_DONTWAIT)}) whatever mode the JDK keeps its own descriptor in. Because it holds the connection
 * open on its own, whoever closes the JDK channel also calls {@link #shutdown}: that ends the connection for the
 * peer and wakes anyone waiting for input on this descriptor.
 */
public final class DupSocket implements AutoCloseable {
    private static final int MSG_DONTWAIT = 0x40;
    private static final int SHUT_RDWR = 2;

    private static final MethodHandle RECV =
            Libc.errnoCall("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), -1);
    private static final MethodHandle SHUTDOWN =
            Libc.errnoCall("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), -1);

    /** What {@link #receiveNow} returns when nothing is waiting. */
    public static final int NOTHING_YET = -1;

    private final int fd;

    public DupSocket(SocketAddress local, SocketAddress peer) throws IOException {
        this.fd = SocketFds.duplicate(local, peer);
    }

    public int fd() {
        return fd;
    }

    /**
     * Copies what has arrived, up to {@code into}'s size, without waiting.
     *
     * @return the bytes received, 0 at end of stream, or {@link #NOTHING_YET}
     */
    public int receiveNow(MemorySegment into) throws IOException {
        long n;
        try {
            n = (long) RECV.invokeExact(Libc.captured(), fd, into, into.byteSize(), MSG_DONTWAIT);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
        if (n >= 0) {
            return (int) n;
        }
        int errno = Libc.errno();
        if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
            return NOTHING_YET;
        }
        throw new IOException("recv: " + Errno.describe(errno));
    }

    /** Ends the connection both ways (idempotent); a reader sees end of stream. */
    public void shutdown() {
        try {
            int ignored = (int) SHUTDOWN.invokeExact(Libc.captured(), fd, SHUT_RDWR); // ENOTCONN once down already: fine
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
