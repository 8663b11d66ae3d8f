/**
 * Messages between the engine nodes of one VM: the {@link io.giantvm.engine.mesh.Transport} seam, TCP (the default),
 * RDMA over DiSNI, and an in-process mesh for tests and the simulation.
 *
 * <h2>The page path's part (TCP)</h2>
 * One connection per pair of nodes, TCP_NODELAY, blocking sockets after the handshake. The DSM's six page-path
 * messages travel on a fixed binary layout ({@link io.giantvm.engine.mesh.DsmWire}: a 32-byte header, then the raw
 * page on a grant); everything else is length-prefixed protobuf ({@link io.giantvm.engine.mesh.FrameCodec}). Each
 * connection has one direct buffer per direction: a sender encodes its frame there and writes it in one system call
 * under the connection's lock ({@link io.giantvm.engine.mesh.FrameWriter}); whoever reads the connection receives as
 * many bytes as the socket holds into the other and decodes in place ({@link io.giantvm.engine.mesh.FrameReader}),
 * and a grant's page reaches the DSM as a view of that buffer, which UFFDIO_COPY reads from. Frames are sent by
 * whichever thread produced them (a DSM step, a vCPU forwarding an access), never handed to a sender thread.
 *
 * <h2>Who reads a connection</h2>
 * Each connection has a receive thread, asleep in epoll (level-triggered, on a duplicate of the socket's descriptor)
 * rather than in {@code read(2)}, and a read lock. A thread that sends a request and can do nothing until the answer
 * comes (the uffd reader that raised a remote fault; a vCPU whose access was forwarded) takes the connection over
 * instead ({@link io.giantvm.engine.mesh.Transport#receiveWhile}): it takes the read lock and disarms the epoll
 * <em>before</em> its request leaves, receives without blocking and yields between tries, hands every frame that
 * arrives to the handler itself, in order, and gives the connection back (arming the epoll again, which wakes the
 * receive thread at once if part of a frame is left in the socket) once its answer is in or after a budget of about
 * one round trip ({@link io.giantvm.engine.mesh.MeshLayout#OWN_REPLY_SPIN}). The answer then needs no thread to wake
 * up on the asking side. If the receive thread is busy with a frame at that moment the caller leaves the answer to it.
 * Frames handled on a caller follow the receive thread's rule: a handler never waits for the mesh or for a fault
 * (devices that may go to the io-server thread), since the thread running it may be the one that has to serve that
 * fault.
 *
 * <p>Why before the request leaves: a loopback write wakes the peer's receive thread with the scheduler's sync hint
 * (the waker is expected to sleep next), so the woken thread often runs on the writer's core at once and preempts it
 * inside its {@code write(2)}. Measured with the takeover placed after the send (2026-12-06): in 56% of remote
 * faults the whole round trip had finished, and the receive thread had installed the grant, before the uffd reader
 * got back from its write; the reader took 17-49% of grants. With the takeover first, 98-99.9%.
 *
 * <p>What it costs: the receive thread's wake-up path is {@code epoll_wait} then {@code recv}, one system call more
 * than the blocking read it replaced, on every frame a receive thread handles (the home's side of a fault, IPIs,
 * frames nobody waits for); two {@code epoll_ctl} per taken-over request; and the caller's core, yielded to anyone
 * runnable, for the round trip (~15-25 µs here) instead of sleeping.
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
 * <p>Since then (same day, not stamped again): the requester's receive-thread row is gone, the uffd reader that sent
 * the request reads the grant itself (it is running, or runnable on a core it yields), and the home's receive thread
 * pays one more system call to wake ({@code epoll_wait}, then {@code recv}); see "Who reads a connection" and the
 * measured difference (~1 µs a fault) below.
 *
 * <h2>Slow runs</h2>
 * In some runs (a third to a half, on a quiet host as on a busy one) the remote read takes 47-73 µs instead of
 * 21-29 µs while the floors of the same run stay where they were. The same stamps in such a run (63 µs): every
 * system call that wakes a thread in the other process or the vCPU was ~10 µs slower (the request's write 13.4 µs,
 * UFFDIO_COPY 12.7 µs) and so were the wake-ups after them (8.7 and 7.7 µs); the protocol's own steps were not.
 * The guess that the woken thread's CPU had gone idle proved right (2026-12-06, pinned): the slow runs are the
 * ones in which the scheduler put the two node processes on different cores. On this host a C ping-pong takes
 * 5.2 µs on one core and 60-70 µs across two, because an idle vCPU of the host sleeps in the hypervisor. The bench
 * now pins its processes and measures both placements ({@code dsm/bench/Placement}); across cores a requester that
 * polls for its answer keeps its core awake and only the answering side pays for a wake-up.
 *
 * <h2>Across cores, stamped again: the floor was the wrong sum</h2>
 * 2026-12-06 evening, the merged page path, each process pinned to its own core ({@code bench dsm-latency
 * --placement spread}), the same stamps, medians of 3,033 remote reads (stamped 48.9 µs; 43.7 µs unstamped in the
 * same run, against floors of 8.5 µs uffd and 20.3 µs TCP):
 * <pre>
 *  requester  vCPU fault -> uffd reader running                                        4.1 us  wake-up (same core)
 *             to the takeover, epoll disarmed, request step, 32-byte header encoded    1.5
 *             write(2) of the request                                                 13.4     the kernel wakes the home's idle core
 *  home       receive thread running, after that write returned                       11.3     wake-up (idle core)
 *             recv                                                                     1.4
 *             decode, dispatch, home and owner steps up to write-protect               1.5
 *             UFFDIO_WRITEPROTECT                                                      1.7
 *             page copied out, grant encoded                                           2.0
 *             write(2) of the grant                                                    4.9
 *  requester  its polling recv has the grant                                           0.8
 *             grant step; UFFDIO_COPY, vCPU running (it preempts the uffd reader)      5.1
 * </pre>
 * The protocol's own work is the ~6.6 µs it was on one core. What grew is waking the home's core: ~25 µs from the
 * request's write to the home's thread running, where the back-to-back TCP floor pays ~13 µs for its whole wake.
 * How long a core of this host takes to wake depends on how long it slept: a C ping-pong across the two cores took
 * 25.5 µs back to back, 27.9 µs when the asker paused 10 µs before each request, 32.5 µs after 30 µs, 46.0 µs after
 * 50 µs. A remote fault cannot ask back to back: between two of its round trips come the local fault, UFFDIO_COPY and
 * the vCPU's next access. So the sum of a uffd floor and a back-to-back TCP floor is no floor for a serial remote
 * fault. Measured whole in C (a thread faults; the handler makes one polling round trip to a process on the other
 * core, then UFFDIO_COPY; {@code engine/docs/floors/}): 35.6-41.7 µs in four runs, against its parts 4.1-4.3 µs (the
 * uffd fault alone) and 18.8-19.7 µs (the ping-pong alone); with both processes on one core 11.9-12.1 µs. The bench now measures that whole floor
 * the same way in Java ({@code dsm/bench/UffdFloor#measureWithRoundTrip}) and holds the remote read to it.
 *
 * <h2>One core: what the mesh request/reply adds to a TCP round trip</h2>
 * Same evening, both processes on one core, medians of 10,810 request/replies (64 B out, 4 KiB back; stamped 11.9 µs,
 * 10.1 µs unstamped, TCP floor ~6.5 µs). On one core a round trip is all CPU, so every step counts:
 * <pre>
 *  caller     to the request's write: takeover, epoll disarmed (0.31), id, pending reply, encode   1.1 us
 *             write(2); the home's receive thread preempts the caller inside it                    2.9
 *  home       recv 0.54; decode 0.23; echo handler, reply encoded 0.44; write(2) 1.69              2.9
 *             back to epoll_wait, the caller's write returns                                       1.3
 *  caller     recv 0.75; decode of the 4 KiB protobuf reply 1.92; reply completed 0.25;
 *             epoll armed again 0.37; return 0.11                                                  3.4
 * </pre>
 * Beyond the raw round trip: decoding the reply copies its 4 KiB out of the receive buffer into a fresh array (~1 µs
 * in a warm microbenchmark, of which the allocation and copy alone are 0.42 µs; protobuf frames must be copied, the
 * buffer is reused once the handler returns), the three system calls that let a caller read its own answer
 * (disarm, re-arm, and {@code epoll_wait} before {@code recv} on the receive thread: 0.3-0.5 µs each), and ~1 µs of
 * bookkeeping. The mesh's request/reply is 1.4-1.6x the TCP floor on one core and 1.0-1.1x across cores. Tried and
 * not kept: sending each frame with one {@code send(2)} on the raw descriptor instead of the JDK channel's write,
 * four interleaved runs of each build: 9.3 / 9.4 / 10.0 / 9.8 µs without, 9.4 / 9.5 / 9.7 / 9.4 µs with.
 *
 * <h2>Fewer wake-ups: what was measured</h2>
 * The fault above has the floors' four thread wake-ups; fewer means a thread that is already running when the grant
 * arrives. Two ways were built and measured against the same build without them.
 *
 * <p>Receive threads that poll (2026-12-06, not kept): receive threads non-blocking, asleep in epoll, armed by every
 * frame that expects an answer to keep reading their connection for 30 µs, yielding between reads; the sender woke
 * a sleeping receiver through the selector while its frame travelled. That moves the requester's wake-up off the
 * critical path rather than removing it. Remote read medians, one run each, interleaved: at load 6-8, blocking 61.3 /
 * 23.7 / 25.1 / 25.5 / 23.8 µs against polling 25.3 / 25.2 / 25.5 / 24.8 / 25.6 µs; at load 5-6, blocking 21.8 /
 * 22.8 / 22.9 / 22.4 / 27.0 / 60.3 µs against 23.4 / 23.1 / 41.7 / 63.8 / 24.8 / 22.9 µs: no gain. With
 * {@code Thread.onSpinWait} instead of yielding: 36.6-37.5 µs, and the mesh request/reply 44-46 µs instead of 13 (the
 * spinner holds the core the answering node needs). Sleeping in epoll without polling: 58.3 / 25.6 / 64.5 µs.
 *
 * <p>The caller reads its own answer (2026-12-06, kept; "Who reads a connection" above): the thread that would
 * otherwise sleep is the one that reads, so the requester's receive thread does not wake at all. {@code bench
 * dsm-latency --runs 1}, 22 runs of each build interleaved (base, new, base, ...), 2 cores shared with other
 * builds, load average 3.3-6.6: remote read (owner write-protects first), median of the runs' medians 24.0 µs
 * before, 22.4 µs after; in the runs that were not slow (below 30 µs: 18 before, 20 after) 23.5 and 22.3 µs; slow
 * runs (38-77 µs) 4 before, 2 after; the printed read ratio's median 1.25 before, 1.21 after. The mesh request/reply
 * with the caller reading its reply (6 runs each): 13.6 µs before, 11.6 µs after, every run after faster than every
 * run before; ÷ TCP floor 1.53 and 1.36. The fault's gain, 1-1.5 µs, is a wake-up's worth on this host minus the
 * polling and the extra system calls, and it is the size of the noise between single runs: only the distributions
 * show it. A blocking TCP ping-pong whose client polls instead of blocking was 6.8-7.4 µs against 7.6-8.0 µs (three
 * runs each): what one wake-up costs here when both ends are otherwise idle. What makes some runs slow is still not
 * known; the takeover does not cure it.
 *
 * <h2>What polling costs where processes outnumber cores (measured; the remedies tried were not kept)</h2>
 * While a caller polls for its answer the connection's receive thread is disarmed, so when the caller's yield hands
 * the core to another runnable thread for a time slice, an answer that arrives meanwhile waits for the caller's
 * turn. 3 nodes of 1 vCPU each on the 2-core host ({@code run --nodes 3 --workload mutex --locks 1 --time 20}),
 * page transfers a second over all nodes, builds interleaved (2026-12-06 evening):
 * <pre>
 *  callers always poll (as built)                                      808-843   (9 runs)
 *  callers never poll: the receive thread takes every answer            909-955  (15 runs)
 *  a yield over 200 µs ends the poll and pauses polling for 20 ms     879-895   (6 runs)
 *    ... over 200 µs, paused 200 ms                                    889-929   (6 runs)
 *    ... over 50 µs, paused 200 ms                                     924-942   (3 runs)
 *    ... over 200 µs, four such polls in a row, paused 20 ms           839-875   (2 runs)
 * </pre>
 * So polling costs ~10 % of the page throughput there. The pauses win most of it back, but on the pinned
 * {@code bench dsm-latency}, with no node outnumbering its core, they fire too: a JIT compiler or collector thread
 * sharing the pinned core makes yields just as long. With 50 µs / 200 ms the uffd reader read its own grant in 2-46
 * of 10,000 faults on one core and 4,201-5,446 across cores (always polling: 9,667-9,989), and the mesh
 * request/reply across cores took 39-43 µs against 21; with 1 ms / 200 ms, 923 and 8,747, mesh 38 µs; with four
 * long polls in a row before a 20 ms pause, 9,822 and 8,913, mesh 29 µs. Every poll given up there costs a
 * wake-up of an idle core. No variant kept both, so callers always poll; a node whose vCPUs and DSM threads
 * outnumber its cores pays this.
 *
 * <h2>Waiting for a reply</h2>
 * A vCPU whose port or MMIO access was forwarded waits with {@link io.giantvm.engine.mesh.ReplyWait#request}: it
 * reads the reply off the connection itself where it can (as above), otherwise it yield-polls the reply for up to
 * {@link io.giantvm.engine.mesh.MeshLayout#REPLY_SPIN}; then it parks. Either way the poller is the caller that
 * would otherwise sleep, not a receive thread.
 */
package io.giantvm.engine.mesh;
