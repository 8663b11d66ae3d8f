package io.giantvm.engine.mesh;

import java.io.File;
import java.util.List;

/**
 * Placeholder for the RDMA transport (DiSNI verbs). The DiSNI dependency is not in the engine's build yet and
 * these machines have no RDMA device, so this only tells the user clearly why {@code transport: rdma} cannot
 * run. The protocol logic lives above {@link Transport}, so the real implementation only has to move frames.
 */
public final class RdmaTransport {
    private RdmaTransport() {}

    /** Always throws: names what is missing. */
    public static Transport open(int self, List<MeshAddress> nodes) {
        boolean device = hasRdmaDevice();
        boolean library = hasLibDisni();
        if (!device || !library) {
            throw new MeshException("transport rdma needs an RDMA device and libdisni; none found"
                    + " (RDMA device: " + (device ? "yes" : "no") + ", libdisni: " + (library ? "yes" : "no") + ")");
        }
        throw new MeshException("transport rdma: an RDMA device and libdisni are present, but this engine was built"
                + " without the DiSNI transport; use transport: tcp");
    }

    static boolean hasRdmaDevice() {
        String[] devices = new File("/sys/class/infiniband").list();
        return devices != null && devices.length > 0;
    }

    static boolean hasLibDisni() {
        String path = System.getProperty("java.library.path", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && new File(dir, "libdisni.so").isFile()) {
                return true;
            }
        }
        return false;
    }
}
