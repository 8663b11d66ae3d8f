package io.giantvm.engine.vm;

import io.giantvm.engine.control.EngineStatus;
import io.giantvm.engine.control.EngineStatusSource;
import io.giantvm.engine.control.GuestRunState;
import io.giantvm.engine.cpu.VcpuState;
import io.giantvm.engine.dsm.DsmStats;
import io.giantvm.engine.dsm.FaultKind;

import io.giantvm.engine.boot.MultibootImage;
import io.giantvm.engine.boot.MultibootLoader;
import io.giantvm.engine.config.VmDescription;
import io.giantvm.engine.cpu.ApicIdMap;
import io.giantvm.engine.cpu.EntryState;
import io.giantvm.engine.cpu.VirtualCpu;
import io.giantvm.engine.boot.linux.LinuxBoot;
import io.giantvm.engine.boot.linux.LinuxLayout;
import io.giantvm.engine.boot.linux.LongModeEntry;
import io.giantvm.engine.boot.linux.SpanningClock;
import io.giantvm.engine.devices.AcpiSleepControl;
import io.giantvm.engine.devices.BenchDevice;
import io.giantvm.engine.devices.IoApic;
import io.giantvm.engine.devices.Bus;
import io.giantvm.engine.devices.DebugExit;
import io.giantvm.engine.devices.StaticPagesPort;
import io.giantvm.engine.devices.Uart16550;
import io.giantvm.engine.clock.GuestTsc;
import io.giantvm.engine.clock.TscRate;
import io.giantvm.engine.clock.VmClockChannel;
import io.giantvm.engine.guest.GuestAbi;
import io.giantvm.engine.devices.apic.ApicPage;
import io.giantvm.engine.devices.apic.ApicRegisters;
import io.giantvm.engine.devices.apic.ApicRouter;
import io.giantvm.engine.devices.apic.HostTimerScheduler;
import io.giantvm.engine.dsm.DsmNode;
import io.giantvm.engine.dsm.DsmLayout;
import io.giantvm.engine.dsm.GuestMemoryAccess;
import io.giantvm.engine.dsm.StaticPages;
import io.giantvm.engine.dsm.uffd.HostTouch;
import io.giantvm.engine.dsm.uffd.UffdFaultHandler;
import io.giantvm.engine.dsm.uffd.UffdPageMemory;
import io.giantvm.engine.forward.ForwardLayout;
import io.giantvm.engine.forward.IoServer;
import io.giantvm.engine.forward.IpiReceiver;
import io.giantvm.engine.forward.MeshIpiSink;
import io.giantvm.engine.forward.RemoteDevice;
import io.giantvm.engine.forward.VmLifecycleChannel;
import io.giantvm.engine.kvm.HostPaging;
import io.giantvm.engine.kvm.Kvm;
import io.giantvm.engine.kvm.VcpuFd;
import io.giantvm.engine.kvm.VirtualMachine;
import io.giantvm.engine.numa.NumaTopology;
import io.giantvm.engine.numa.SlitDistance;
import io.giantvm.engine.numa.SlitProbe;
import io.giantvm.engine.memory.GuestLayout;
import io.giantvm.engine.memory.GuestMemory;
import io.giantvm.engine.memory.PhysicalMemory;
import io.giantvm.engine.mesh.FrameDispatcher;
import io.giantvm.engine.mesh.PeerDownException;
import io.giantvm.engine.mesh.Transport;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.IoSpace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One node of a distributed VM: this process's block of vCPUs, its copy of guest RAM kept coherent by the DSM
 * over userfaultfd, and the devices (real on the I/O node, forwarded elsewhere). Every node builds the same
 * machine from the same VM description; only node 0 loads the guest and runs the bootstrap processor, and the
 * other vCPUs wait for the INIT/SIPI that the guest sends them, wherever they run.
 *
 * <p>Life: {@link #create} (KVM, RAM, DSM, devices, vCPUs; nothing talks yet), {@link #run} (mesh up and past
 * its start barrier, guest loaded, vCPUs started, wait for the end), {@link #close}.
 *
 * <p>How a run ends, on every node: the guest writes debug-exit (on the I/O node, possibly forwarded there) and
 * the I/O node announces it; or a node fails (vCPU crash, unresolvable fault) and announces that; or a peer is
 * lost (process died, connection dropped), which every survivor sees by itself. The first of these wins; the
 * message of a failure always names the node. At a clean exit the I/O node waits until every node
 * acknowledged the exit before it closes, and the others wait for the I/O node to close first, so that nobody
 * mistakes a peer's orderly departure for its death.
 *
 * <p>Shutdown order, as in {@link Machine}: vCPUs, then the DSM and mesh, timers, vCPU fds, the VM, RAM. A vCPU
 * that sleeps in the kernel on a fault no peer will ever answer is released by closing the userfaultfd.
 */
public final class NodeMachine implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(1);
    private static final Duration RELEASE_GRACE = Duration.ofSeconds(3);
    /** Bound on the exit handshake: every node acknowledges within a round trip unless it is dead. */
    private static final Duration EXIT_ACK_BOUND = Duration.ofSeconds(2);
    /** How long a node waits for the I/O node to leave after a clean exit before it leaves anyway. */
    private static final Duration EXIT_LINGER = Duration.ofSeconds(3);
    /** Bound on one clock query to node 0, which answers from its receive thread. */
    private static final Duration CLOCK_QUERY_BOUND = Duration.ofSeconds(10);

    private final NodeSpec spec;
    private final VmDescription vmd;
    private final Kvm kvm;
    private final Bus pio = new Bus("pio");
    private final Bus mmio = new Bus("mmio");
    private final HostTimerScheduler timers = new HostTimerScheduler();
    private final List<VcpuFd> fds = new ArrayList<>();
    /** The VM's APIC ids: spaced a package per node when a Linux guest is told each node is a NUMA node. */
    private final ApicIdMap apicIds;
    private final VcpuGroup cpus;
    private final List<GuestReport> reports = Collections.synchronizedList(new ArrayList<>());
    private final List<RemoteDevice> remoteDevices = new ArrayList<>();
    private final CompletableFuture<Integer> end = new CompletableFuture<>();
    private final CountDownLatch ioNodeGone = new CountDownLatch(1);

    private VirtualMachine vm;
    private GuestMemory ram;
    private UffdPageMemory pages;
    private Transport transport;
    private DsmNode dsm;
    private StaticPages staticPages;
    private UffdFaultHandler faultHandler;
    private PhysicalMemory engineView;
    private IoServer ioServer;
    private MeshIpiSink ipiSink;
    private IpiReceiver ipiReceiver;
    private VmLifecycleChannel lifecycle;
    private VmClockChannel vmClock;
    private long tscKhz;
    private volatile boolean endedByGuest;
    /** Where this node is in its life, for the control API; written only by the thread in {@link #run}. */
    private volatile GuestRunState phase = GuestRunState.STARTING;
    private final java.util.concurrent.atomic.AtomicInteger peersLost = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean meshUp;
    /** The SLIT distance this node wrote into the ACPI tables (the boot node of a NUMA VM), for the launcher's check. */
    private Optional<SlitDistance> declaredSlit = Optional.empty();
    private boolean closed;

    private NodeMachine(NodeSpec spec, Kvm kvm) {
        this.spec = spec;
        this.vmd = spec.description();
        this.kvm = kvm;
        this.apicIds = ApicIdMap.forGuest(guestNuma(spec), spec.totalVcpus());
        this.cpus = new VcpuGroup(spec.firstVcpu(), apicIds);
    }

    /**
     * The proximity domains the guest is told of, at the default distance (the boot node measures the real one):
     * a Linux guest's over several nodes with NUMA on; nothing for the bundled guest, which reads no ACPI tables.
     */
    private static Optional<NumaTopology> guestNuma(NodeSpec spec) {
        return spec.runsLinux() ? NumaTopology.forVm(spec.description(), SlitDistance.DEFAULT) : Optional.empty();
    }

    /** Builds this node's part of the VM. Throws {@link VmConfigurationException} for what the host cannot do. */
    public static NodeMachine create(NodeSpec spec) {
        MultibootImage image = spec.node() == NodeSpec.BOOT_NODE && spec.linux() == null
                ? MultibootImage.parse(spec.guestImage()) : null;
        Kvm kvm = Kvm.open();
        NodeMachine m;
        try {
            m = new NodeMachine(spec, kvm);
        } catch (RuntimeException e) {
            kvm.close();
            throw e;
        }
        try {
            m.assemble();
            m.image = image;
            return m;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private MultibootImage image;

    private void assemble() {
        int max = kvm.maxVcpus();
        if (spec.totalVcpus() > max) {
            throw new VmConfigurationException("the VM has %d vCPUs in all (APIC ids are global), but KVM on this host allows at most %d per VM"
                    .formatted(spec.totalVcpus(), max));
        }
        vm = kvm.createVm();
        ram = new GuestMemory(vmd.memoryBytes());
        // Registered before anything (KVM included) touches the mapping: from here on only the DSM makes pages present.
        pages = new UffdPageMemory(ram.hostMapping());
        transport = NodeTransports.open(vmd, spec.node());
        dsm = new DsmNode(transport, vmd.homeMap(), pages, spec.faultTimeout());
        engineView = new DsmPhysicalMemory(new GuestMemoryAccess(dsm), vmd.memoryBytes());
        staticPages = new StaticPages(dsm, transport, spec.faultTimeout());
        // Every node serves it itself: the declaring vCPU's own thread reads and spreads the pages.
        pio.register(GuestLayout.STATIC_PAGES, GuestLayout.STATIC_PAGES_PORTS, "static-pages",
                new StaticPagesPort(vmd.memoryBytes(), (address, length) ->
                        staticPages.declare(DsmLayout.pageOf(address), length / DsmLayout.PAGE_SIZE)));

        vm.setUserMemoryRegion(0, 0, ram.hostMapping());
        vm.setTssAddress(GuestLayout.KVM_TSS);
        ipiSink = new MeshIpiSink(transport, apicIds, vmd::nodeOfVcpu);
        // EOIs of level-triggered vectors reach the I/O APIC like the guest's own EOI-register writes: forwarded
        // to the I/O node from every other node.
        ApicRouter router = new ApicRouter(cpus::wake, cpus.lifecycle(), ipiSink, IoApic.eoiThrough(mmio, LinuxLayout.IOAPIC_BASE));
        ipiReceiver = new IpiReceiver(router);
        registerDevices(router);
        ApicPage apicPage = new ApicPage(spec.totalVcpus());
        mmio.register(ApicRegisters.MMIO_BASE, ApicRegisters.MMIO_SIZE, "local-apic", apicPage);

        cpus.create(kvm.supportedCpuid(), vm, spec.firstVcpu(), spec.localVcpus(), router, apicPage, timers, pio, mmio, fds);
        tscKhz = fds.getFirst().tscKhz();
        if (spec.runsLinux()) {
            LinuxBoot.setApicBases(fds);
        }
        vmClock = new VmClockChannel(transport, GuestTsc.nowNanos(), tscKhz);

        lifecycle = new VmLifecycleChannel(transport, new VmLifecycleChannel.Listener() {
            @Override
            public void guestExited(int status, int announcedBy) {
                endedByGuest = true;
                end.complete(status);
            }

            @Override
            public void nodeFailed(int node, String reason) {
                end.completeExceptionally(new NodeFailureException(node, "node " + node + " failed: " + reason));
            }
        });
        FrameDispatcher dispatcher = new FrameDispatcher()
                .route(dsm, Frame.BodyCase.DSM_REQUEST, Frame.BodyCase.DSM_FORWARD, Frame.BodyCase.DSM_GRANT,
                        Frame.BodyCase.DSM_INVALIDATE, Frame.BodyCase.DSM_INVALIDATE_ACK, Frame.BodyCase.DSM_CONFIRM)
                .route(staticPages, Frame.BodyCase.DSM_STATIC_PAGE)
                .route(ipiReceiver, Frame.BodyCase.IPI)
                .route(lifecycle, Frame.BodyCase.GUEST_EXIT, Frame.BodyCase.NODE_FAILURE)
                .route(vmClock, Frame.BodyCase.VM_CLOCK);
        if (ioServer != null) {
            dispatcher.route(ioServer, Frame.BodyCase.IO_REQUEST);
        }
        transport.setHandler(dispatcher);
        transport.addPeerDownListener(this::peerLost);
    }

    /**
     * The devices on the I/O node, proxies to them elsewhere. The I/O APIC's messages go through this node's
     * router, which forwards those meant for other nodes' vCPUs like any IPI; Linux reaches the I/O APIC by
     * MMIO (forwarded) and powers off through the ACPI sleep port (forwarded), the bundled guest by debug-exit.
     */
    private void registerDevices(ApicRouter router) {
        if (spec.isIoNode()) {
            IoApic ioApic = new IoApic(LinuxLayout.IOAPIC_ID, LinuxLayout.IOAPIC_PINS, router);
            mmio.register(LinuxLayout.IOAPIC_BASE, LinuxLayout.IOAPIC_SIZE, "io-apic", ioApic);
            pio.register(GuestLayout.UART_COM1, GuestLayout.UART_PORTS, "uart-com1",
                    new Uart16550(spec.console(), ioApic.line(LinuxLayout.UART_IRQ)));
            pio.register(LinuxLayout.ACPI_SLEEP_PORT, AcpiSleepControl.PORTS, "acpi-sleep",
                    new AcpiSleepControl(() -> guestExited(0)));
            pio.register(GuestLayout.DEBUG_EXIT, GuestLayout.DEBUG_EXIT_PORTS, "debug-exit", new DebugExit(this::guestExited));
            pio.register(GuestLayout.BENCH, GuestLayout.BENCH_PORTS, "bench",
                    new BenchDevice(engineView, (vcpu, record) -> reports.add(new GuestReport(vcpu, record))));
            ioServer = new IoServer(transport, pio, mmio);
        } else {
            forward(IoSpace.MMIO, mmio, LinuxLayout.IOAPIC_BASE, LinuxLayout.IOAPIC_SIZE, "io-apic");
            forwardPorts(GuestLayout.UART_COM1, GuestLayout.UART_PORTS, "uart-com1");
            forwardPorts(LinuxLayout.ACPI_SLEEP_PORT, AcpiSleepControl.PORTS, "acpi-sleep");
            forwardPorts(GuestLayout.DEBUG_EXIT, GuestLayout.DEBUG_EXIT_PORTS, "debug-exit");
            forwardPorts(GuestLayout.BENCH, GuestLayout.BENCH_PORTS, "bench");
        }
    }

    private void forwardPorts(long base, long count, String name) {
        forward(IoSpace.PORT, pio, base, count, name);
    }

    private void forward(IoSpace space, Bus bus, long base, long count, String name) {
        RemoteDevice proxy = new RemoteDevice(transport, vmd.ioNode(), space, base, name, ForwardLayout.IO_REPLY_TIMEOUT);
        remoteDevices.add(proxy);
        bus.register(base, count, name, proxy);
    }

    /**
     * Forms the mesh (returns only when every node is connected and past the start barrier), boots the guest
     * and waits for the end of the run, at most {@code timeout} after the start barrier.
     */
    public NodeOutcome run(Duration meshTimeout, Duration timeout) throws InterruptedException {
        phase = GuestRunState.WAITING_FOR_PEERS;
        try {
            transport.start(meshTimeout);
        } catch (RuntimeException e) {
            phase = GuestRunState.FAILED;
            throw e;
        }
        meshUp = true;
        setVmTsc();
        if (spec.runsLinux() && spec.description().nodeCount() > 1) {
            // Each node says it of its own host: the machines of one VM need not run the same KVM.
            HostPaging.detect().advice().ifPresent(a -> System.err.println("giantvm node " + spec.node() + ": " + a));
        }
        faultHandler = new UffdFaultHandler(dsm, pages, spec.faultTimeout(),
                e -> fail(new NodeFailureException(spec.node(), e.getMessage(), e))); // the DSM's message names the node
        long start = System.nanoTime();
        if (spec.node() == NodeSpec.BOOT_NODE) {
            boot();
        }
        for (VirtualCpu cpu : cpus.all()) {
            cpu.start(cpu.index() == 0, this::vcpuFailed);
        }
        phase = GuestRunState.RUNNING;
        int status = -1;
        Throwable failure = null;
        try {
            status = end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (TimeoutException e) {
            failure = new GuestTimeoutException(timeout);
            lifecycle.announceFailure("node " + spec.node() + ": " + failure.getMessage());
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        phase = failure == null && status == 0 ? GuestRunState.HALTED : GuestRunState.FAILED;
        if (failure == null) {
            leaveInOrder(status);
        }
        stopVcpus();
        failure = cpus.explainCrash(cpus.explainTimeout(failure, timeout));
        List<Map<String, Long>> exits = cpus.exitsByVcpu();
        RunOutcome run = new RunOutcome(status, failure, List.copyOf(reports), elapsed, exits, tscKhz);
        long forwarded = remoteDevices.stream().mapToLong(RemoteDevice::forwardedAccesses).sum();
        return new NodeOutcome(run, spec.firstVcpu(), dsm.stats(), ipiSink.sent(), ipiReceiver.received(),
                forwarded, ioServer == null ? 0 : ioServer.served(), declaredSlit);
    }

    /** Before any vCPU runs: every vCPU of the VM reads one TSC, whichever node runs it ({@code clock} package). */
    private void setVmTsc() throws InterruptedException {
        VmClockChannel.Agreement clock = vmClock.agree(CLOCK_QUERY_BOUND);
        TscRate.match(fds, spec.node(), tscKhz, clock.tscKhz());
        GuestTsc.setAll(fds, clock.epochNanos(), clock.offsetNanos(), clock.tscKhz());
        GuestTsc.setKvmClock(vm, clock.epochNanos(), clock.offsetNanos());
        tscKhz = clock.tscKhz();
        if (spec.node() != VmClockChannel.REFERENCE_NODE) {
            System.err.printf("giantvm node %d: VM clock: node %d's clock %+.1f us from ours, +/- %.1f us (half the shortest round trip)%n",
                    spec.node(), VmClockChannel.REFERENCE_NODE, clock.offsetNanos() / 1e3, clock.roundTripNanos() / 2e3);
        }
    }

    /** Loads the guest through the DSM (never behind its back) and puts the bootstrap processor at its entry. */
    private void boot() {
        if (spec.linux() != null) {
            // The probe faults pages in through the DSM, so it needs the mesh up and the fault handler running (both are).
            Optional<NumaTopology> numa = guestNuma(spec).map(t -> t.withDistance(
                    SlitProbe.measure(t, spec.node(), gpa -> HostTouch.load(ram.hostMapping(), gpa))));
            numa.ifPresent(t -> System.err.println("giantvm node " + spec.node() + ": " + t.startupLine() + "; " + apicIds));
            declaredSlit = numa.map(NumaTopology::distance);
            int nodes = spec.description().nodeCount();
            String commandLine = SpanningClock.commandLine(spec.commandLine(), nodes, tscKhz);
            String added = SpanningClock.addedParameters(spec.commandLine(), nodes, tscKhz);
            if (!added.isEmpty()) {
                System.err.println("giantvm node " + spec.node() + ": the guest's clock is the TSC, not kvmclock (whose one page"
                        + " all nodes' KVMs write would move between them for ever): command line + '" + added + "'");
            }
            LongModeEntry.enter(fds.getFirst(), LinuxBoot.load(engineView, spec.linux(), commandLine, apicIds, numa));
            return;
        }
        long entry = MultibootLoader.load(engineView, image, GuestAbi.withTscKhz(spec.commandLine(), tscKhz));
        EntryState.enterMultiboot(fds.getFirst(), entry);
    }

    private void leaveInOrder(int status) throws InterruptedException {
        if (spec.isIoNode()) {
            List<Integer> silent = lifecycle.announceGuestExit(status, EXIT_ACK_BOUND);
            if (!silent.isEmpty()) {
                System.err.println("giantvm node " + spec.node() + ": nodes " + silent + " did not acknowledge the guest's exit");
            }
        } else {
            ioNodeGone.await(EXIT_LINGER.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void guestExited(int status) {
        endedByGuest = true;
        end.complete(status);
    }

    private void vcpuFailed(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof PeerDownException p) { // not this node's fault: report the node that was lost
                peerLost(p.node());
                return;
            }
        }
        fail(new NodeFailureException(spec.node(), "node " + spec.node() + ": " + t.getMessage(), t));
    }

    /** This node cannot go on: end the run here and tell the others. */
    private void fail(NodeFailureException e) {
        if (end.completeExceptionally(e)) {
            lifecycle.announceFailure(e.getMessage());
        }
    }

    private void peerLost(int node) {
        peersLost.incrementAndGet();
        if (node == vmd.ioNode()) {
            ioNodeGone.countDown();
        }
        if (!endedByGuest) {
            end.completeExceptionally(new NodeFailureException(node,
                    "node " + node + " is down (its process died or its connection to node " + spec.node() + " dropped)"));
        }
    }

    private void stopVcpus() throws InterruptedException {
        List<Integer> stuck = cpus.stop(STOP_GRACE);
        if (stuck.isEmpty()) {
            return;
        }
        // Those sleep in the kernel on a fault that no peer will answer now; closing the userfaultfd wakes them.
        dsm.stop("the VM is stopping");
        closeQuietly(faultHandler);
        closeQuietly(pages);
        stuck = cpus.stop(RELEASE_GRACE);
        if (!stuck.isEmpty()) {
            System.err.println("giantvm node " + spec.node() + ": vCPUs " + stuck + " did not stop; leaving them to process exit");
        }
    }

    /** Names the peers the mesh still waits for, e.g. "waiting for node 2 at host:7100 to connect". */
    private String waitingFor() {
        List<String> missing = transport.unconnectedPeers().stream()
                .map(i -> "node " + i + " at " + vmd.nodes().get(i).host() + ":" + vmd.nodes().get(i).meshPort()).toList();
        return missing.isEmpty() ? "" : "waiting for " + String.join(", ", missing) + " to connect";
    }

    /** This node's state and counters for the control API; safe to call from any thread at any time. */
    public EngineStatusSource controlStatus() {
        return new EngineStatusSource() {
            @Override
            public EngineStatus status() {
                int running = (int) cpus.all().stream()
                        .filter(c -> c.state() != VcpuState.CREATED && c.state() != VcpuState.STOPPED).count();
                int peers = meshUp ? Math.max(0, vmd.nodeCount() - 1 - peersLost.get()) : 0;
                return new EngineStatus(spec.node(), vmd.nodeCount(), vmd.name(), running, spec.localVcpus(),
                        peers, phase, phase == GuestRunState.WAITING_FOR_PEERS ? waitingFor() : "");
            }

            @Override
            public Map<String, Long> counters() {
                Map<String, Long> m = new java.util.LinkedHashMap<>();
                DsmNode d = dsm;
                if (d != null) {
                    DsmStats st = d.stats();
                    for (FaultKind k : FaultKind.values()) {
                        m.put("dsm." + k.name().toLowerCase(java.util.Locale.ROOT) + "_faults", st.faults(k));
                    }
                    m.put("dsm.remote_requests_served", st.remoteRequestsServed());
                    m.put("dsm.invalidations_sent", st.invalidationsSent());
                    m.put("dsm.invalidations_received", st.invalidationsReceived());
                    m.put("dsm.bytes_sent", st.bytesSent());
                    m.put("dsm.bytes_received", st.bytesReceived());
                }
                for (VirtualCpu c : cpus.all()) {
                    c.exits().byName().forEach((reason, n) -> m.merge(
                            "exit." + reason.split(" ")[0].toLowerCase(java.util.Locale.ROOT), n, Long::sum));
                }
                return m;
            }
        };
    }

    public List<VirtualCpu> vcpus() {
        return cpus.all();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            cpus.stop(STOP_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(faultHandler);
        closeQuietly(dsm);
        closeQuietly(ioServer);
        closeQuietly(transport);
        timers.close();
        for (VcpuFd fd : fds) {
            fd.close();
        }
        closeQuietly(vm);
        closeQuietly(pages);
        closeQuietly(ram);
        kvm.close();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // shutting down: the run's outcome is already decided and reported
        }
    }
}
