package io.giantvm.engine.os;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The file descriptor behind a connected JDK socket channel, which the JDK does not hand out: found by matching the
 * connection's two addresses against every socket descriptor of this process ({@code getsockname} and
 * {@code getpeername}). Then duplicated, so the number stays valid for as long as its user keeps it, whatever the
 * JDK does with its own descriptor on close.
 */
public final class SocketFds {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCKADDR_BYTES = 128; // sockaddr_storage

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle GETSOCKNAME = call("getsockname");
    private static final MethodHandle GETPEERNAME = call("getpeername");
    private static final MethodHandle DUP = LINKER.downcallHandle(
            LINKER.defaultLookup().find("dup").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private SocketFds() {}

    /**
     * A duplicate of the descriptor of the TCP connection {@code local} ↔ {@code peer} (as the channel reports them);
     * the caller closes it. A connection is one 4-tuple, so at most one open file description matches.
     */
    public static int duplicate(SocketAddress local, SocketAddress peer) throws IOException {
        List<Integer> fds;
        try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
            fds = entries.map(p -> Integer.parseInt(p.getFileName().toString())).toList();
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment addr = arena.allocate(SOCKADDR_BYTES, 8);
            MemorySegment len = arena.allocate(JAVA_INT);
            for (int fd : fds) {
                if (same(local, address(GETSOCKNAME, fd, addr, len)) && same(peer, address(GETPEERNAME, fd, addr, len))) {
                    int dup = (int) DUP.invokeExact(fd);
                    if (dup < 0) {
                        throw new IOException("dup of socket descriptor " + fd + " failed");
                    }
                    return dup;
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("native call failed", t);
        }
        throw new IOException("no socket descriptor of this process connects " + local + " to " + peer);
    }

    /** Same IP address and port; scope ids aside (the kernel and the JDK need not agree on them). */
    private static boolean same(SocketAddress channel, InetSocketAddress fd) {
        return fd != null && channel instanceof InetSocketAddress c && c.getPort() == fd.getPort()
                && Arrays.equals(c.getAddress().getAddress(), fd.getAddress().getAddress());
    }

    /** The IP address and port {@code call} reports for {@code fd}; null if it is no IP socket (or closed meanwhile). */
    private static InetSocketAddress address(MethodHandle call, int fd, MemorySegment addr, MemorySegment len) throws Throwable {
        len.set(JAVA_INT, 0, SOCKADDR_BYTES);
        if ((int) call.invokeExact(fd, addr, len) != 0) {
            return null; // ENOTSOCK, ENOTCONN, EBADF: not the one we look for
        }
        int family = Short.toUnsignedInt(addr.get(JAVA_SHORT, 0));
        int port = (Byte.toUnsignedInt(addr.get(JAVA_BYTE, 2)) << 8) | Byte.toUnsignedInt(addr.get(JAVA_BYTE, 3));
        byte[] ip;
        if (family == AF_INET) {
            ip = addr.asSlice(4, 4).toArray(JAVA_BYTE);
        } else if (family == AF_INET6) {
            ip = addr.asSlice(8, 16).toArray(JAVA_BYTE); // an IPv4-mapped address comes back as an Inet4Address
        } else {
            return null;
        }
        return new InetSocketAddress(InetAddress.getByAddress(ip), port);
    }

    private static MethodHandle call(String name) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }
}
