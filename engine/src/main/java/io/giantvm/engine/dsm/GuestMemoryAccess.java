package io.giantvm.engine.dsm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The engine's own reads and writes of guest memory (device emulation, loaders). They go through the DSM like
 * a vCPU's would: each page touched is faulted in with the needed permission and accessed under the protocol
 * lock, so a device never reads a stale copy nor writes to a page another node owns.
 *
 * <p>Blocks while a page is fetched: call it from vCPU or device threads, never from a mesh receive thread (which
 * would then wait for the very grant it has to deliver).
 */
public final class GuestMemoryAccess {
    private final DsmNode dsm;

    public GuestMemoryAccess(DsmNode dsm) {
        this.dsm = dsm;
    }

    public void read(long address, byte[] dst, int offset, int length) {
        walk(address, length, (addr, done, n) -> dsm.access(DsmLayout.pageOf(addr), Access.READ, m -> {
            m.read(addr, dst, offset + done, n);
            return null;
        }));
    }

    public void write(long address, byte[] src, int offset, int length) {
        walk(address, length, (addr, done, n) -> dsm.access(DsmLayout.pageOf(addr), Access.WRITE, m -> {
            m.write(addr, src, offset + done, n);
            return null;
        }));
    }

    public byte[] read(long address, int length) {
        byte[] b = new byte[length];
        read(address, b, 0, length);
        return b;
    }

    /** Little-endian, as the guest sees it. */
    public long readLong(long address) {
        return ByteBuffer.wrap(read(address, Long.BYTES)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    public void writeLong(long address, long value) {
        byte[] b = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
        write(address, b, 0, b.length);
    }

    private interface Chunk {
        void apply(long address, int done, int length);
    }

    /** Splits [address, address+length) at page boundaries; each piece is accessed atomically on its own. */
    private static void walk(long address, int length, Chunk chunk) {
        if (address < 0 || length < 0) {
            throw new IllegalArgumentException("bad guest range 0x" + Long.toHexString(address) + "+" + length);
        }
        int done = 0;
        while (done < length) {
            long addr = address + done;
            int inPage = DsmLayout.PAGE_SIZE - (int) (addr & (DsmLayout.PAGE_SIZE - 1));
            int n = Math.min(inPage, length - done);
            chunk.apply(addr, done, n);
            done += n;
        }
    }
}
