package io.giantvm.engine.mesh;

/**
 * Work request ids on an RDMA connection: which buffer a completion belongs to and whether it was a send or a
 * receive. Sends and receives share one completion queue, and a failed completion's opcode is undefined in verbs,
 * so the kind has to be in the id.
 */
final class RdmaWorkId {
    private RdmaWorkId() {}

    private static final long SEND = 1L << 32;

    static long receive(int slot) {
        return slot;
    }

    static long send(int slot) {
        return SEND | slot;
    }

    static boolean isSend(long id) {
        return (id & SEND) != 0;
    }

    static int slot(long id) {
        return (int) id;
    }
}
