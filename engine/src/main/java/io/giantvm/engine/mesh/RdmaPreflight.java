package io.giantvm.engine.mesh;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Whether this host can run {@code transport: rdma}: an RDMA device and a libdisni that loads. Checked before any
 * DiSNI class is touched, because DiSNI itself fails on a missing library with an UnsatisfiedLinkError from a static
 * initializer, which names neither the device nor what to install.
 */
final class RdmaPreflight {
    private RdmaPreflight() {}

    static final Path DEVICES = Path.of("/sys/class/infiniband");
    static final String LIBRARY = "disni";

    /** One fact: whether it holds, and what was seen (device names, where the library is, or why not). */
    record Fact(boolean present, String detail) {
        @Override
        public String toString() {
            return (present ? "yes" : "no") + " (" + detail + ")";
        }
    }

    /** Throws one line naming what is missing, when anything is. */
    static void require() {
        String problem = hostProblem();
        if (problem != null) {
            throw new MeshException(problem);
        }
    }

    /** Null when this host can run RDMA, else what is missing. Loads libdisni when it is there. */
    static String hostProblem() {
        return problem(device(DEVICES), library(System.getProperty("java.library.path", ""), () -> System.loadLibrary(LIBRARY)));
    }

    /** Null when both facts hold, else the message that names both. */
    static String problem(Fact device, Fact library) {
        if (device.present() && library.present()) {
            return null;
        }
        return "transport rdma needs an RDMA device and libdisni: RDMA device: " + device + ", libdisni: " + library;
    }

    static Fact device(Path devices) {
        String[] names = devices.toFile().list();
        if (names == null) {
            return new Fact(false, devices + " does not exist");
        }
        if (names.length == 0) {
            return new Fact(false, devices + " is empty");
        }
        Arrays.sort(names);
        return new Fact(true, String.join(", ", names));
    }

    /** {@code load} loads the library and throws UnsatisfiedLinkError when it cannot (a dependency is missing). */
    static Fact library(String libraryPath, Runnable load) {
        String file = System.mapLibraryName(LIBRARY);
        File found = null;
        for (String dir : libraryPath.split(File.pathSeparator)) {
            if (!dir.isEmpty() && new File(dir, file).isFile()) {
                found = new File(dir, file);
                break;
            }
        }
        if (found == null) {
            return new Fact(false, "no " + file + " on java.library.path=" + libraryPath);
        }
        try {
            load.run();
        } catch (UnsatisfiedLinkError e) {
            return new Fact(false, found + " does not load: " + e.getMessage());
        }
        return new Fact(true, found.toString());
    }
}
