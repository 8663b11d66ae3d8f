package io.giantvm.engine.dsm;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Guest RAM of one simulated node: present pages with their bytes and a writable bit. It refuses what the
 * real uffd memory would refuse or corrupt (installing over a present page, writing a read-only page, reading
 * an absent one), so a protocol bug shows up as an exception at the faulty call.
 */
final class SimulatedPageMemory implements PageMemory {
    private final int node;
    private final Map<Long, byte[]> present = new HashMap<>();
    private final Map<Long, Boolean> writable = new HashMap<>();

    SimulatedPageMemory(int node) {
        this.node = node;
    }

    @Override
    public synchronized void install(long page, byte[] data, boolean w) {
        requireAbsent(page);
        present.put(page, data.clone());
        writable.put(page, w);
    }

    @Override
    public synchronized void installZero(long page, boolean w) {
        requireAbsent(page);
        present.put(page, new byte[DsmLayout.PAGE_SIZE]);
        writable.put(page, w);
    }

    @Override
    public synchronized void writeProtect(long page) {
        requirePresent(page);
        writable.put(page, false);
    }

    @Override
    public synchronized void writeUnprotect(long page) {
        requirePresent(page);
        writable.put(page, true);
    }

    @Override
    public synchronized byte[] copyOut(long page) {
        return requirePresent(page).clone();
    }

    @Override
    public synchronized void drop(long page) {
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
