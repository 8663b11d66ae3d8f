package io.giantvm.engine.devices;

import java.util.Arrays;

/**
 * Address ranges mapped to devices: one instance for port I/O, one for MMIO.
 *
 * <p>Lookups run on the vCPU exit path, so ranges live in an array sorted by base that is replaced
 * whole on registration (registration happens at set-up; lookups need no lock). Accesses that hit
 * no device behave like an open bus: reads return all ones, writes are dropped, and both are
 * counted so that a guest poking at the wrong address shows in the stats.
 */
public final class Bus {
    private record Range(long base, long length, String name, BusDevice device) {
        long end() {
            return base + length; // exclusive
        }
    }

    private final String name;
    private volatile Range[] ranges = new Range[0];
    private final java.util.concurrent.atomic.LongAdder unmapped = new java.util.concurrent.atomic.LongAdder();

    public Bus(String name) {
        this.name = name;
    }

    /** Maps {@code [base, base+length)} to {@code device}; an overlap with an existing range is rejected. */
    public synchronized void register(long base, long length, String deviceName, BusDevice device) {
        if (length <= 0 || base < 0 || base + length < base) {
            throw new IllegalArgumentException(
                    "%s bus: bad range 0x%x+0x%x for %s".formatted(name, base, length, deviceName));
        }
        Range added = new Range(base, length, deviceName, device);
        for (Range r : ranges) {
            if (base < r.end() && r.base() < added.end()) {
                throw new IllegalArgumentException("%s bus: %s at 0x%x-0x%x overlaps %s at 0x%x-0x%x".formatted(
                        name, deviceName, base, added.end() - 1, r.name(), r.base(), r.end() - 1));
            }
        }
        Range[] next = Arrays.copyOf(ranges, ranges.length + 1);
        next[next.length - 1] = added;
        Arrays.sort(next, (a, b) -> Long.compare(a.base(), b.base()));
        ranges = next;
    }

    public long read(int vcpu, long address, int size) {
        Range r = find(address);
        if (r == null) {
            unmapped.increment();
            return size >= 8 ? -1L : (1L << (size * 8)) - 1;
        }
        return r.device().read(vcpu, address - r.base(), size);
    }

    public void write(int vcpu, long address, int size, long value) {
        Range r = find(address);
        if (r == null) {
            unmapped.increment();
            return;
        }
        r.device().write(vcpu, address - r.base(), size, value);
    }

    /** Whether an access to {@code address} may wait on the mesh ({@link BusDevice#mayWaitOnMesh}); no device: no. */
    public boolean mayWaitOnMesh(long address) {
        Range r = find(address);
        return r != null && r.device().mayWaitOnMesh();
    }

    /** Whether some device claims {@code address}. */
    public boolean isMapped(long address) {
        return find(address) != null;
    }

    /** Accesses that hit no device since start. */
    public long unmappedAccesses() {
        return unmapped.sum();
    }

    private Range find(long address) {
        Range[] rs = ranges;
        int lo = 0, hi = rs.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Range r = rs[mid];
            if (address < r.base()) {
                hi = mid - 1;
            } else if (address >= r.end()) {
                lo = mid + 1;
            } else {
                return r;
            }
        }
        return null;
    }
}
