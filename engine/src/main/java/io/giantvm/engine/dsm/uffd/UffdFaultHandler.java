package io.giantvm.engine.dsm.uffd;

import io.giantvm.engine.dsm.Access;
import io.giantvm.engine.dsm.DsmFaultException;
import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.dsm.DsmNode;
import io.giantvm.engine.os.Userfaultfd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@code uffd-reader-<node>} thread: turns userfaultfd events into DSM faults. It never blocks on the DSM:
 * each fault is started asynchronously and the faulting thread is woken (UFFDIO_WAKE) when the grant has been
 * installed, so one slow remote fault does not hold up faults on other pages. It does read the connection the grant
 * comes on itself, for about one round trip and only while no other fault is waiting to be read
 * ({@link DsmNode#requestAndReceive}), so that the grant needs no receive thread to wake up. A fault that cannot be
 * resolved (dead peer, timeout) goes to {@code onFailure}: the faulting vCPU stays asleep and the VM must stop.
 */
public final class UffdFaultHandler implements AutoCloseable {
    private static final int POLL_MILLIS = 100;

    private final DsmNode dsm;
    private final UffdPageMemory memory;
    private final Duration faultTimeout;
    private final Consumer<DsmFaultException> onFailure;
    private final Thread reader;
    private volatile boolean closed;
    private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
    private long nextId;

    private record Waiting(CompletableFuture<Void> grant, long deadline, long page, Access access) {}

    public UffdFaultHandler(DsmNode dsm, UffdPageMemory memory, Duration faultTimeout, Consumer<DsmFaultException> onFailure) {
        this.dsm = dsm;
        this.memory = memory;
        this.faultTimeout = faultTimeout;
        this.onFailure = onFailure;
        this.reader = Thread.ofPlatform().name("uffd-reader-" + dsm.self()).daemon().start(this::readLoop);
    }

    private void readLoop() {
        Userfaultfd uffd = memory.uffd();
        MemorySegment msg = Arena.ofAuto().allocate(Userfaultfd.MSG_BYTES, 8);
        long base = memory.ram().address();
        while (!closed) {
            if (!uffd.read(msg, POLL_MILLIS)) {
                sweepExpired();
                continue;
            }
            if ((msg.get(ValueLayout.JAVA_BYTE, 0) & 0xff) != Userfaultfd.EVENT_PAGEFAULT) {
                continue; // fork/remap/remove events are not enabled; nothing else is expected
            }
            long flags = msg.get(ValueLayout.JAVA_LONG, 8);
            long hostAddress = msg.get(ValueLayout.JAVA_LONG, 16);
            long page = DsmLayout.pageOf(hostAddress - base);
            boolean write = (flags & (Userfaultfd.PAGEFAULT_FLAG_WRITE | Userfaultfd.PAGEFAULT_FLAG_WP)) != 0;
            Access access = write ? Access.WRITE : Access.READ;
            sweepExpired();
            // Asks for the page and, unless another fault is waiting to be read, takes the grant off the connection
            // itself rather than sleep until a receive thread installs it.
            DsmNode.Request request = dsm.requestAndReceive(page, access, () -> !uffd.hasEvent());
            CompletableFuture<Void> grant = request.grant();
            if (!grant.isDone()) {
                long id = nextId++;
                waiting.put(id, new Waiting(grant, System.nanoTime() + faultTimeout.toNanos(), page, access));
                grant.whenComplete((v, e) -> waiting.remove(id));
            }
            if (request.usableAlready()) {
                // Usable before this event was read (another thread's fault on the page got there first): the
                // ioctl that installed it may have run before this thread slept, so wake it explicitly. Otherwise
                // the install itself (UFFDIO_COPY, or clearing write-protect) wakes every waiter on the page.
                uffd.wake(base + DsmLayout.addressOf(page), DsmLayout.PAGE_SIZE);
                continue;
            }
            grant.whenComplete((v, e) -> {
                if (e != null) {
                    onFailure.accept(e instanceof DsmFaultException d ? d : new DsmFaultException("node " + dsm.self()
                            + ": " + access.name().toLowerCase() + " fault on page 0x" + Long.toHexString(page)
                            + " not resolved: " + e, e));
                }
            });
        }
    }

    /**
     * Fails faults past their deadline. Checked by this thread between events (at least every poll period) rather
     * than with a timer per fault, whose scheduler-thread wake-ups cost more than the fault on a busy machine.
     */
    private void sweepExpired() {
        long now = System.nanoTime();
        for (Waiting w : waiting.values()) {
            if (now - w.deadline > 0) {
                w.grant.completeExceptionally(new DsmFaultException("node " + dsm.self() + ": " + w.access.name().toLowerCase()
                        + " fault on page 0x" + Long.toHexString(w.page) + " not granted within " + faultTimeout.toMillis()
                        + " ms (home node " + dsm.homes().homeOf(w.page) + "; a peer is dead or wedged)"));
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            reader.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
