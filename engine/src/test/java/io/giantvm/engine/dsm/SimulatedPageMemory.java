package io.giantvm.engine.dsm;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Guest RAM of one simulated node: present pages with their bytes and a writable bit. It refuses what the
 * real uffd memory would refuse or corrupt (installing over a present page, writing a read-only page, reading
 * an absent one), so a protocol bug shows up as an exception at the faulty call.
 *
 * <p>vCPUs: on real uffd memory a vCPU's load or store does not take the protocol lock; it just happens when the
 * page is present (and writable), between any two of the DSM's memory operations. {@link #vcpuRead} and
 * {@link #vcpuWrite} are such accesses (they answer "would fault" instead of throwing), and
 * {@link #beforeEachOperation} lets a test run them right before every operation the protocol makes here — the
 * owner writing on until the write-protect lands, or a store between a copy-out and a drop.
 */
final class SimulatedPageMemory implements PageMemory {
    private final int node;
    private final Map<Long, byte[]> present = new HashMap<>();
    private final Map<Long, Boolean> writable = new HashMap<>();
    private Runnable beforeEachOperation = () -> {};

    SimulatedPageMemory(int node) {
        this.node = node;
    }

    /** Runs {@code vcpus} at the start of every protocol operation on this memory (install, protect, copy, drop). */
    synchronized void beforeEachOperation(Runnable vcpus) {
        this.beforeEachOperation = vcpus;
    }

    /** A vCPU store: lands and returns true if the page is present and writable, else returns false (a fault). */
    synchronized boolean vcpuWrite(long page, int offset, byte[] src) {
        byte[] p = present.get(page);
        if (p == null || !writable.get(page)) {
            return false;
        }
        System.arraycopy(src, 0, p, offset, src.length);
        return true;
    }

    /** A vCPU load of the whole page: its bytes if present, else null (a fault). */
    synchronized byte[] vcpuRead(long page) {
        byte[] p = present.get(page);
        return p == null ? null : p.clone();
    }

    private void operation() {
        beforeEachOperation.run();
    }

    @Override
    public synchronized void install(long page, ByteBuffer data, boolean w) {
        operation();
        requireAbsent(page);
        byte[] copy = new byte[DsmLayout.PAGE_SIZE];
        data.duplicate().get(copy);
        present.put(page, copy);
        writable.put(page, w);
    }

    @Override
    public synchronized void installZero(long page, boolean w) {
        operation();
        requireAbsent(page);
        present.put(page, new byte[DsmLayout.PAGE_SIZE]);
        writable.put(page, w);
    }

    @Override
    public synchronized void writeProtect(long page) {
        operation();
        requirePresent(page);
        writable.put(page, false);
    }

    @Override
    public synchronized void writeUnprotect(long page) {
        operation();
        requirePresent(page);
        writable.put(page, true);
    }

    @Override
    public synchronized byte[] copyOut(long page) {
        operation();
        return requirePresent(page).clone();
    }

    @Override
    public synchronized void drop(long page) {
        operation();
        requirePresent(page);
        present.remove(page);
        writable.remove(page);
    }

    @Override
    public synchronized void read(long address, byte[] dst, int offset, int length) {
        byte[] p = requirePresent(DsmLayout.pageOf(address));
        System.arraycopy(p, (int) (address & (DsmLayout.PAGE_SIZE - 1)), dst, offset, length);
    }

    @Override
    public synchronized void write(long address, byte[] src, int offset, int length) {
        long page = DsmLayout.pageOf(address);
        byte[] p = requirePresent(page);
        if (!writable.get(page)) {
            throw new IllegalStateException("node " + node + " wrote read-only page 0x" + Long.toHexString(page));
        }
        System.arraycopy(src, offset, p, (int) (address & (DsmLayout.PAGE_SIZE - 1)), length);
    }

    synchronized boolean isPresent(long page) {
        return present.containsKey(page);
    }

    synchronized boolean isWritable(long page) {
        return Boolean.TRUE.equals(writable.get(page));
    }

    synchronized boolean contentEquals(long page, byte[] expected) {
        byte[] p = present.get(page);
        return p != null && Arrays.equals(p, expected);
    }

    private byte[] requirePresent(long page) {
        byte[] p = present.get(page);
        if (p == null) {
            throw new IllegalStateException("node " + node + ": page 0x" + Long.toHexString(page) + " is not present");
        }
        return p;
    }

    private void requireAbsent(long page) {
        if (present.containsKey(page)) {
            throw new IllegalStateException("node " + node + ": page 0x" + Long.toHexString(page) + " installed twice");
        }
    }
}
