package io.giantvm.engine.dsm.bench;

/**
 * One run's medians in microseconds, in one placement: the floors, then what the mesh and the DSM took. The TCP
 * floor is the round trip whose asker polls as the mesh's requesters do; {@code tcpBlocking} has both sides
 * blocking and is there for reference (see {@link TcpFloor}). {@code faultFloor} is a remote fault's floor measured
 * whole: a uffd fault whose handler makes one such round trip before it resolves the fault
 * ({@link UffdFloor#measureWithRoundTrip}).
 */
record RunFigures(Placement placement, int run, double uffdFloor, double tcpFloor, double tcpBlocking, double faultFloor,
                  double mesh, double remoteRead, double remoteWrite, double forwardedPort) {

    /** The first figure: remote read fault over the floor of a remote fault. */
    double faultRatio() {
        return remoteRead / faultFloor;
    }

    /**
     * The remote read over the sum of the separately measured floors, as the issue first stated it; for reference,
     * since the sum leaves out what waking the peer's idled core costs (see {@link UffdFloor}).
     */
    double sumRatio() {
        return remoteRead / (uffdFloor + tcpFloor);
    }

    /** The second figure: the mesh's request/reply over a raw TCP round trip of the same sizes. */
    double meshRatio() {
        return mesh / tcpFloor;
    }
}
