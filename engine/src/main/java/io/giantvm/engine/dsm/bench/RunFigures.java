package io.giantvm.engine.dsm.bench;

/**
 * One run's medians in microseconds, in one placement: the floors, then what the mesh and the DSM took. The TCP
 * floor is the round trip whose asker polls as the mesh's requesters do; {@code tcpBlocking} has both sides
 * blocking and is there for reference (see {@link TcpFloor}).
 */
record RunFigures(Placement placement, int run, double uffdFloor, double tcpFloor, double tcpBlocking, double mesh, double remoteRead,
                  double remoteWrite, double forwardedPort) {

    /** The first figure: remote read fault over the sum of the floors it is made of. */
    double faultRatio() {
        return remoteRead / (uffdFloor + tcpFloor);
    }

    /** The second figure: the mesh's request/reply over a raw TCP round trip of the same sizes. */
    double meshRatio() {
        return mesh / tcpFloor;
    }
}
