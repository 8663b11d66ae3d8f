/**
 * The Ivy DSM that keeps guest memory coherent across the nodes of one VM: page states Modified / Shared /
 * Invalid, one owner and a copyset per 4 KiB page, sequential consistency. No KVM or OS code here: the core
 * drives a {@link io.giantvm.engine.dsm.PageMemory} and talks through a {@link io.giantvm.engine.mesh.Transport}.
 *
 * <h2>Choice: Ivy's fixed distributed manager</h2>
 * Each page's manager is its home node (contiguous home ranges, one per node, as the VM description splits
 * memory). We chose it over the dynamic probable-owner scheme (GiantVM's) because every request for a page
 * meets one serialization point that knows owner, copyset and version exactly: queueing requests while
 * ownership moves, collecting invalidation acks and rejecting stale versions are local decisions at the home,
 * and the invariants are simple to state and to check in the simulation. The price is one extra hop when the
 * home is neither the requester nor the owner; the data itself always goes owner → requester directly, and in
 * the common two-node case (home = owner) a fault is one round trip.
 *
 * <h2>Protocol</h2>
 * <pre>
 *  read fault at R:   R -request-> home;  home adds R to the copyset;
 *                     never written: home -grant(zero)-> R           (no 4 KiB of zeros on the wire)
 *                     else:          home -forward-> owner; owner write-protects, copies out, -grant(data)-> R
 *                     R installs read-only, -confirm-> home (see "Confirms" below for when it is left out).
 *  write fault at W:  W -request-> home; home -invalidate-> every copy holder except W and the owner, all at
 *                     once, and waits for every ack; then
 *                     never written or W is owner: home -grant(zero | upgrade)-> W
 *                     else: home -forward-> owner; owner -grant(data, or upgrade if W's copy is current)-> W
 *                     and drops its copy. Home: owner := W, copyset := {W}, version += 1.
 *                     W installs writable (or clears write-protect), -confirm-> home.
 * </pre>
 * The home serves one request per page at a time; requests arriving meanwhile (ownership is moving) are queued
 * in arrival order and served after the confirm. Versions: the home counts writes per page; grants, forwards and
 * invalidations carry the version, an upgrade is granted without data only if the requester's copy has the
 * current version, an invalidation never drops a newer copy, and a grant older than the held copy is a bug.
 *
 * <h2>The race "invalidation between grant and install"</h2>
 * Cannot bite: the home sends no invalidation for a page until the grantee confirms it installed the grant,
 * and the grantee installs (UFFDIO_COPY) under its protocol lock before confirming, so by the time an
 * invalidation can reach it the mapping exists and MADV_DONTNEED removes it.
 *
 * <h2>Confirms</h2>
 * On a transport that {@linkplain io.giantvm.engine.mesh.Transport#deliversInOrder delivers in order} (TCP, RDMA),
 * a grant that the home sends itself — a zero grant, an upgrade, or the page when the home owns it, which is every
 * fault of the two-node case — is final as soon as it is sent, and its grantee sends no confirm: whatever the
 * home sends that node next about the page follows the grant on the same connection and is handled after it, on
 * the same receive thread. For that the {@link io.giantvm.engine.dsm.Outbox} keeps frames to each destination
 * in the order the protocol produced them. A grant from an owner that is not the home travels another connection
 * and is still confirmed. On a transport without that promise every grant is confirmed; the simulation runs the
 * protocol both ways, with all frames reordered freely and with each pair of nodes first-in first-out.
 *
 * <h2>Progress under contention</h2>
 * A page granted to a fault stays with the grantee for at least {@link io.giantvm.engine.dsm.DsmLayout#MIN_HOLD_NANOS}
 * ({@link io.giantvm.engine.dsm.Hold}): an invalidation or forward of it that arrives sooner waits, per page in
 * arrival order, until the hold ends. Without it, on an in-order transport the step that takes the page away
 * travels right behind the grant and is handled before the woken vCPU runs, and two vCPUs spinning on one lock can
 * move it back and forth without either completing a store (DsmProgressTest shows both). The hold is a time because
 * a node cannot observe a vCPU's retry; it delays only a step that comes that soon, so uncontended pages never
 * wait. Measured with the time-window mutex (2 nodes x 1 vCPU, 1 lock, 3 s, real KVM, 2 busy cores): 72.5 M
 * acquisitions/s with the lock page moving 265 times each way, against 75.7 M/s on 1 node x 2 vCPUs.
 *
 * <h2>The page path, step by step (remote read fault, home = owner, two nodes)</h2>
 * <pre>
 *  requester: vCPU load -> kernel -> uffd-reader wakes (poll + read)              wake-up 1 (in the uffd floor)
 *             takes the home's connection over (its read lock; the receive thread's epoll disarmed)
 *             protocol lock, request, unlock; one write of a 32-byte binary header
 *             receives without blocking, yielding between tries, until the grant is in
 *  home/owner: mesh-rx wakes in epoll, receives into its direct buffer            wake-up 2 (in the TCP floor)
 *             decodes the header (no protobuf), protocol lock, owner step called directly (no frame to itself):
 *             write-protect (1.5-3 us, a TLB shootdown), page copied out, grant = header + page copied into the
 *             connection's direct send buffer, one write of 4128 bytes
 *  requester: the uffd reader's next receive finds header and page in the direct receive buffer
 *                                                                                 (no wake-up: it was running)
 *             protocol lock, UFFDIO_COPY straight from the receive buffer, which wakes the vCPU
 *                                                                                 wake-up 3 (in the uffd floor)
 *             gives the connection back (epoll armed again)
 * </pre>
 * One wake-up fewer than the two floors together (a uffd fault resolved by a handler thread; a TCP ping-pong), bought
 * with the uffd reader's core during the round trip, yielded to anyone runnable; until 2026-12-06 the requester's
 * receive thread read the grant and the fault had the floors' four (the {@code mesh} package has how the takeover
 * works and what it measured: ~1 µs a fault on this host). What the fault adds is the write-protect, two locks and two user-space copies of the page, both on the owner:
 * guest memory to an array under the lock (the frame is sent after the lock is released, and the page must be
 * captured while it is write-protected or before it is dropped), and that array to the send buffer. On the way in
 * the page is not copied by user space at all: the receive buffer is the UFFDIO_COPY source. Before this design it
 * was six copies (protobuf encoding, two stream buffers, the JDK's temporary direct buffer, a fresh array per frame,
 * a staging page). Copies cost a microsecond or less each; the wake-ups dominate (2-2.6 us each on the host of
 * 2026-12-06, 10-15 us and up to ~100 us onto a busy or sleeping core on the busier host of earlier rounds).
 *
 * <p>Measured per stage with a timestamp at each step on both sides (2026-12-06, before the uffd reader read its own
 * grants; 2 cores shared with a nested QEMU and other builds, load average 9; medians of 2,000 faults; the table is
 * in the {@code mesh} package): wake-ups
 * 2.6 / 2.6 / 2.4 / 2.1 us (uffd reader, home's receive thread, requester's receive thread, vCPU), the request's
 * write 2.3 us, the grant's write 4.1 us, UFFDIO_COPY 2.4 us: together ~18.5 us, what the two floors are made of.
 * The protocol's own work is ~6.3 us: the owner's write-protect 1.6 us, copying the page out 1.0-1.5 us, dispatch
 * and the home and owner steps 0.4-1.2 us (the larger figure when the thread woke on a cold CPU), decoding and
 * encoding ~0.5 us on each side, the requester's steps ~1 us. The fault took 25.5 us against floors of 8.6 + 8.2 us
 * (ratio 1.52); in such runs the ratio sits near 1.2-1.6 (21-29 us), but a third to a half of the runs are slow
 * (47-73 us, every wake-up ~10 us dearer, the protocol's steps unchanged; see the {@code mesh} package). The
 * README's performance section has every {@code bench dsm-latency} run.
 *
 * <p>Those slow runs were the two processes on different cores, and stamped again that way (the {@code mesh} package,
 * "Across cores") the fault is ~43 µs: the protocol's own work is the same ~6.6 us, and the rest is waking the home's
 * idle core, which costs more the longer it slept. A remote fault's floor measured whole, a uffd fault whose handler
 * makes one TCP round trip, is ~36-42 us in C and ~39-43 us in Java on this host across cores; the remote read matches
 * it (ratio 0.97-1.12 in three runs).
 *
 * <h2>The typed DSM channel</h2>
 * The six page-path messages (request, forward, grant, invalidate, ack, confirm) keep their generated types in
 * memory, so the protocol and the simulation are unchanged, but on the wire they take a fixed binary layout: a
 * 32-byte header and, on a grant with data, the raw page behind it ({@code mesh.DsmWire}; its first byte tells it
 * from a protobuf frame's length prefix). Everything else (hello, barrier, static pages, forwarding, IPIs, control)
 * stays length-prefixed protobuf. TCP reads and writes each connection through one direct buffer per direction;
 * a grant's page travels beside its frame as a view of the receive buffer
 * ({@link io.giantvm.engine.mesh.FrameHandler#onFrame(io.giantvm.engine.mesh.v1.Frame, java.nio.ByteBuffer)}),
 * because protobuf 4 copies any direct buffer put into a message. RDMA encodes and decodes through the same codec
 * into its registered buffers (and copies the page out there, since the buffer is posted again at once).
 *
 * <h2>Fewer hops elsewhere</h2>
 * Steps a node addresses to itself (a fault on a page homed here, the home's grant to it, the home invalidating
 * its own copy) never reach the transport: they run right before the protocol lock is released. A forwarded port
 * or MMIO access to a device that works on its registers alone is served on the receive thread that brought it
 * ({@link io.giantvm.engine.devices.BusDevice#mayWaitOnMesh}); only devices that may wait on the mesh (a DSM fault)
 * go through the io-server thread. A vCPU waiting for a forwarded access reads the reply off the connection itself,
 * or polls for it, briefly before parking ({@link io.giantvm.engine.mesh.ReplyWait#request}), which saves the wake-up
 * of the reply's hand-off from the receive thread. A fault's grant is read by the uffd reader that raised it
 * ({@link io.giantvm.engine.dsm.DsmNode#requestAndReceive}), which saves the requester's receive thread's wake-up.
 * Receive threads themselves do not poll: that was measured not to pay on the 2-core host where both nodes share the
 * cores (the {@code mesh} package has the figures).
 *
 * <h2>Lock order</h2>
 * A connection's read lock (held by whoever reads it: its receive thread, or a thread that took it over for its
 * answer) comes before the node's protocol lock: frames are handled, and a taken-over request is sent, with the read
 * lock held. One lock per node ({@code DsmNode}'s protocol lock); the transport's per-connection write locks are taken
 * only after it is released (frames are queued and flushed on unlock; a thread never waits for another's send).
 * {@link io.giantvm.engine.dsm.PageMemory} calls happen under the protocol lock and must not call back into the DSM.
 */
package io.giantvm.engine.dsm;
