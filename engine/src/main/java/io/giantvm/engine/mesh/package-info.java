/**
 * Messages between the engine nodes of one VM: the {@link io.giantvm.engine.mesh.Transport} seam, TCP (the default),
 * RDMA over DiSNI, and an in-process mesh for tests and the simulation.
 *
 * <h2>The page path's part (TCP)</h2>
 * One connection per pair of nodes, TCP_NODELAY, blocking sockets after the handshake. The DSM's six page-path
 * messages travel on a fixed binary layout ({@link io.giantvm.engine.mesh.DsmWire}: a 32-byte header, then the raw
 * page on a grant); everything else is length-prefixed protobuf ({@link io.giantvm.engine.mesh.FrameCodec}). Each
 * connection has one direct buffer per direction: a sender encodes its frame there and writes it in one system call
 * under the connection's lock ({@link io.giantvm.engine.mesh.FrameWriter}); the connection's one receive thread
 * reads as many bytes as the socket holds into the other and decodes in place
 * ({@link io.giantvm.engine.mesh.FrameReader}), and a grant's page reaches the DSM as a view of that buffer, which
 * UFFDIO_COPY reads from. Threads: one receive thread per peer, blocked in {@code read(2)}; frames are sent by
 * whichever thread produced them (a DSM step, a vCPU forwarding an access), never handed to a sender thread.
 *
 * <h2>Measured, per stage</h2>
 * A remote read fault between two processes (home = owner), with a timestamp at each stage on both sides
 * ({@link System#nanoTime} is one clock for both processes on one machine) and the medians of 2,000 faults,
 * 2026-12-06, 2 cores shared with a nested QEMU and other builds (load average 9): the fault took 25.5 µs, against
 * floors of 8.6 µs (uffd) and 8.2 µs (TCP) measured in the same run.
 * <pre>
 *  requester  vCPU fault -> uffd reader running                                        2.6 us  wake-up
 *             request step under the protocol lock, 32-byte header encoded             0.4
 *             write(2) of the request (loopback: includes waking the home's reader)    2.3
 *  home       receive thread running                                                   2.6     wake-up
 *             decode                                                                   0.5
 *             dispatch, protocol lock, home step, owner step up to write-protect       1.2     (0.4 on a warm CPU)
 *             UFFDIO_WRITEPROTECT (a TLB flush)                                        1.6
 *             page copied out of guest memory                                          1.5     (1.0 on a warm CPU)
 *             unlock, outbox, header and page encoded into the send buffer             0.5
 *             write(2) of the 4,128-byte grant (includes waking the requester's reader) 4.1
 *  requester  receive thread running                                                   2.4     wake-up
 *             decode, grant step                                                       0.6
 *             UFFDIO_COPY from the receive buffer (includes waking the vCPU)           2.4
 *             vCPU running                                                             2.1     wake-up
 * </pre>
 * The wake-ups and the three system calls that move the page are what the two floors are made of (a uffd fault
 * answered by a handler thread; a blocking TCP ping-pong): ~18.5 µs of the 25.5. The rest, ~6.3 µs, is the protocol's
 * own work, and a quarter of it is the owner's write-protect, which cannot go. On a host this size a remote read
 * fault therefore sits near 1.4-1.5x the floors, and noise moves it between ~1.0 and ~2.
 *
 * <h2>Why the receive threads block in read(2) and nobody polls</h2>
 * The fault has exactly the floors' four thread wake-ups, so fewer wake-ups than the floors means a thread that is
 * already running when the grant arrives: polling. An event loop per node, or the requester reading its own reply,
 * has the same four wake-ups unless it polls too. Polling was measured (2026-12-06, load 10-13, one-run medians of
 * the remote read fault): receive threads made non-blocking and sleeping in epoll, armed by each request to poll its
 * connection for 30 µs with {@code Thread.yield} between reads (the sender woke a sleeping receiver through the
 * selector, while the request travelled): 23.8 / 24.6 / 26.2 µs, the same as blocking reads in that hour (23-27 µs),
 * at the price of up to 30 µs of a core per request; the same build sleeping in epoll without the poll: 58.3 / 25.6 /
 * 64.5 µs; polling with {@code Thread.onSpinWait} instead of yielding: 44.2 / 64.2 µs, and the mesh request/reply
 * 45-52 µs instead of 13. On two cores that both nodes share, the poller takes the core that the answering node
 * needs. Between machines, where each node has its own cores, polling would likely pay; it needs a host like that
 * to show it, and no more than ~2.5 µs (one wake-up) is to be won per fault.
 *
 * <h2>Waiting for a reply</h2>
 * A vCPU whose port or MMIO access was forwarded waits for the reply with {@link io.giantvm.engine.mesh.ReplyWait}
 * (yield-polling for up to {@link io.giantvm.engine.mesh.MeshLayout#REPLY_SPIN} before it parks): there the poller
 * is the caller that would otherwise sleep, not a receive thread, and it measured faster than parking.
 */
package io.giantvm.engine.mesh;
