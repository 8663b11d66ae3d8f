package io.giantvm.engine.dsm;

import java.util.Arrays;

/**
 * Which node is home (Ivy's fixed manager) of each page: one contiguous range per node, in node order.
 * The split itself is the VM description's rule; this only answers lookups.
 */
public final class HomeMap {
    private final long[] firstPage; // firstPage[i] = first page homed at node i; node i's range ends at firstPage[i+1]
    private final long pageCount;

    private HomeMap(long[] firstPage, long pageCount) {
        this.firstPage = firstPage;
        this.pageCount = pageCount;
    }

    /** {@code startAddress[i]} is where node i's range begins; ranges are contiguous and page-aligned. */
    public static HomeMap ofRanges(long[] startAddress, long totalBytes) {
        if (startAddress.length == 0 || startAddress[0] != 0) {
            throw new IllegalArgumentException("home ranges must start at address 0");
        }
        long[] first = new long[startAddress.length];
        for (int i = 0; i < startAddress.length; i++) {
            if (startAddress[i] % DsmLayout.PAGE_SIZE != 0) {
                throw new IllegalArgumentException("home range of node " + i + " starts at unaligned 0x" + Long.toHexString(startAddress[i]));
            }
            if (i > 0 && startAddress[i] <= startAddress[i - 1]) {
                throw new IllegalArgumentException("home range of node " + i + " is empty or out of order");
            }
            first[i] = DsmLayout.pageOf(startAddress[i]);
        }
        if (totalBytes % DsmLayout.PAGE_SIZE != 0 || totalBytes <= startAddress[startAddress.length - 1]) {
            throw new IllegalArgumentException("guest memory of " + totalBytes + " bytes does not cover every home range");
        }
        return new HomeMap(first, DsmLayout.pageOf(totalBytes));
    }

    /** Every node homes {@code pagesPerNode} pages; for tests. */
    public static HomeMap evenPages(int nodes, long pagesPerNode) {
        long[] starts = new long[nodes];
        for (int i = 0; i < nodes; i++) {
            starts[i] = DsmLayout.addressOf(i * pagesPerNode);
        }
        return ofRanges(starts, DsmLayout.addressOf(nodes * pagesPerNode));
    }

    public int nodeCount() {
        return firstPage.length;
    }

    public long pageCount() {
        return pageCount;
    }

    public long firstPage(int node) {
        return firstPage[node];
    }

    public long endPage(int node) {
        return node + 1 < firstPage.length ? firstPage[node + 1] : pageCount;
    }

    public int homeOf(long page) {
        if (page < 0 || page >= pageCount) {
            throw new IllegalArgumentException("page 0x" + Long.toHexString(page) + " is outside guest memory ("
                    + pageCount + " pages)");
        }
        int i = Arrays.binarySearch(firstPage, page);
        return i >= 0 ? i : -i - 2;
    }
}
