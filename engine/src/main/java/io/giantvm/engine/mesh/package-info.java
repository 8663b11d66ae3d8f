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
 * own work, and a quarter of it is the owner's write-protect, which cannot go. In runs like this one a remote read
 * fault therefore sits near 1.2-1.6x the floors; the slow runs below are another matter.
 *
 * <h2>Slow runs</h2>
 * In some runs (a third to a half, on a quiet host as on a busy one) the remote read takes 47-73 µs instead of
 * 21-29 µs while the floors of the same run stay where they were. The same stamps in such a run (63 µs): every
 * system call that wakes a thread in the other process or the vCPU was ~10 µs slower (the request's write 13.4 µs,
 * UFFDIO_COPY 12.7 µs) and so were the wake-ups after them (8.7 and 7.7 µs); the protocol's own steps were not.
 * What makes a wake-up cost that much in one run and not in the next is not known (a guess, not measured: the CPU
 * the woken thread was placed on had gone idle and has to be woken by the hypervisor under this VM).
 *
 * <h2>Why the receive threads block in read(2) and nobody polls</h2>
 * The fault has exactly the floors' four thread wake-ups, so fewer wake-ups than the floors means a thread that is
 * already running when the grant arrives: polling. An event loop per node, or the requester reading its own reply,
 * has the same four wake-ups unless it polls too. Polling was built and measured (2026-12-06): receive threads made
 * non-blocking, asleep in epoll, and armed by every frame that expects an answer (a request, a DSM page request, an
 * invalidation) to keep reading their connection for 30 µs, yielding between reads; the sender woke a sleeping
 * receiver through the selector while its frame travelled. Remote read medians, one run each, the two builds
 * interleaved: at load 6-8, blocking 61.3 / 23.7 / 25.1 / 25.5 / 23.8 µs against polling 25.3 / 25.2 / 25.5 / 24.8 /
 * 25.6 µs; at load 5-6, blocking 21.8 / 22.8 / 22.9 / 22.4 / 27.0 / 60.3 µs against polling 23.4 / 23.1 / 41.7 / 63.8 /
 * 24.8 / 22.9 µs. So no gain in the fast runs (~1 µs worse), no cure for the slow ones, and up to 30 µs of a core per
 * request. Polling with {@code Thread.onSpinWait} instead of yielding: remote reads 36.6-37.5 µs in six runs and the
 * mesh request/reply 44-46 µs instead of 13 (on two cores that both nodes share, the spinner holds the core the
 * answering node needs). The same build sleeping in epoll without the poll: 58.3 / 25.6 / 64.5 µs. None of it was
 * kept. Between machines, where each node has its own cores, polling may pay; no more than one wake-up (~2.5 µs) is
 * to be won per fault.
 *
 * <h2>Waiting for a reply</h2>
 * A vCPU whose port or MMIO access was forwarded waits for the reply with {@link io.giantvm.engine.mesh.ReplyWait}
 * (yield-polling for up to {@link io.giantvm.engine.mesh.MeshLayout#REPLY_SPIN} before it parks): there the poller
 * is the caller that would otherwise sleep, not a receive thread, and it measured faster than parking.
 */
package io.giantvm.engine.mesh;
