package io.giantvm.engine.dsm;

import io.giantvm.engine.mesh.InProcessMesh;
import io.giantvm.engine.mesh.v1.Frame;
import java.util.BitSet;

/**
 * Checks the Ivy invariants over a whole simulated cluster between two steps (manual mesh, one thread, so the
 * cluster is quiescent while checked). {@code truth[p]} is the last value written to page p in the order the
 * writes took effect. Returns a description of the first violation, or null.
 */
final class InvariantChecker {
    private InvariantChecker() {}

    static String check(SimCluster c, byte[][] truth) {
        int n = c.nodes.length;
        BitSet granting = new BitSet();
        for (InProcessMesh.InFlight f : c.mesh.inFlightFrames()) {
            if (f.frame().getBodyCase() == Frame.BodyCase.DSM_GRANT) {
                granting.set((int) f.frame().getDsmGrant().getPage());
            }
        }
        for (long p = 0; p < c.pageCount(); p++) {
            int writers = 0;
            int readers = 0;
            BitSet holders = new BitSet();
            for (int i = 0; i < n; i++) {
                PageState s = c.nodes[i].stateOf(p);
                SimulatedPageMemory m = c.memories[i];
                if (s == PageState.INVALID) {
                    if (m.isPresent(p)) {
                        return "page " + p + ": node " + i + " is INVALID but its memory still maps the page";
                    }
                    continue;
                }
                holders.set(i);
                if (s == PageState.MODIFIED) {
                    writers++;
                } else {
                    readers++;
                }
                if (!m.isPresent(p)) {
                    return "page " + p + ": node " + i + " is " + s + " but the page is not mapped";
                }
                if (m.isWritable(p) != (s == PageState.MODIFIED)) {
                    return "page " + p + ": node " + i + " is " + s + " but writable=" + m.isWritable(p);
                }
                if (!m.contentEquals(p, truth[(int) p])) {
                    return "page " + p + ": node " + i + " holds a readable copy that differs from the last write";
                }
            }
            if (writers > 1 || (writers == 1 && readers > 0)) {
                return "page " + p + ": " + writers + " writers and " + readers + " readers at once";
            }
            int home = c.homes.homeOf(p);
            HomeDirectory dir = c.nodes[home].directory();
            BitSet copyset = dir.copyset(p);
            BitSet notListed = (BitSet) holders.clone();
            notListed.andNot(copyset);
            if (!notListed.isEmpty()) {
                return "page " + p + ": nodes " + notListed + " hold copies but are not in the copyset " + copyset;
            }
            if (dir.txn(p) != null || granting.get((int) p)) {
                // Ownership is moving: the directory is exact again at the confirm, or (on an in-order mesh, where
                // the home's own grants need no confirm) once the grant has arrived.
                continue;
            }
            int owner = dir.owner(p);
            if (owner == HomeDirectory.NO_OWNER) {
                if (writers > 0) {
                    return "page " + p + ": no owner at the home but a writer exists";
                }
            } else {
                if (!holders.get(owner)) {
                    return "page " + p + ": owner node " + owner + " holds no valid copy";
                }
                if (!copyset.get(owner)) {
                    return "page " + p + ": owner node " + owner + " is not in the copyset " + copyset;
                }
            }
            if (!copyset.equals(holders)) {
                return "page " + p + ": copyset " + copyset + " but holders " + holders + " with no transaction in progress";
            }
            for (int i = holders.nextSetBit(0); i >= 0; i = holders.nextSetBit(i + 1)) {
                if (c.nodes[i].versionOf(p) != dir.version(p)) {
                    return "page " + p + ": node " + i + " holds version " + c.nodes[i].versionOf(p) + ", home says " + dir.version(p);
                }
            }
        }
        return null;
    }
}
