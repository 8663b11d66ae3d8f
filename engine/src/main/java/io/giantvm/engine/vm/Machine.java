package io.giantvm.engine.vm;

import io.giantvm.engine.boot.MultibootImage;
import io.giantvm.engine.boot.MultibootLoader;
import io.giantvm.engine.boot.linux.LinuxBoot;
import io.giantvm.engine.boot.linux.LinuxLayout;
import io.giantvm.engine.cpu.ApicIdMap;
import io.giantvm.engine.cpu.EntryState;
import io.giantvm.engine.cpu.VirtualCpu;
import io.giantvm.engine.devices.AcpiSleepControl;
import io.giantvm.engine.devices.BenchDevice;
import io.giantvm.engine.devices.Bus;
import io.giantvm.engine.devices.DebugExit;
import io.giantvm.engine.devices.IoApic;
import io.giantvm.engine.devices.StaticPagesPort;
import io.giantvm.engine.devices.Uart16550;
import io.giantvm.engine.guest.GuestAbi;
import io.giantvm.engine.devices.apic.ApicPage;
import io.giantvm.engine.devices.apic.ApicRegisters;
import io.giantvm.engine.devices.apic.ApicRouter;
import io.giantvm.engine.devices.apic.HostTimerScheduler;
import io.giantvm.engine.devices.apic.RemoteIpiSink;
import io.giantvm.engine.kvm.Kvm;
import io.giantvm.engine.kvm.VcpuFd;
import io.giantvm.engine.kvm.VirtualMachine;
import io.giantvm.engine.memory.GuestLayout;
import io.giantvm.engine.memory.GuestMemory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A whole VM on one node: KVM VM, guest RAM, buses and devices, one local APIC and one vCPU
 * thread per vCPU, with the bundled guest loaded and the bootstrap processor at its entry.
 *
 * <p>Shutdown order matters: vCPUs stop first (a running guest may still arm its APIC timer),
 * then the timer thread, then vCPU fds, the VM and RAM.
 */
public final class Machine implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final MachineSpec spec;
    private final Kvm kvm;
    private final VirtualMachine vm;
    private final GuestMemory memory;
    private final Bus pio = new Bus("pio");
    private final Bus mmio = new Bus("mmio");
    private final HostTimerScheduler timers = new HostTimerScheduler();
    private final List<VcpuFd> fds = new ArrayList<>();
    private final ApicIdMap apicIds;
    private final VcpuGroup cpus;
    private final List<GuestReport> reports = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Integer> guestExit = new CompletableFuture<>();
    private long tscKhz;
    private ApicRouter router;
    private Uart16550 uart;

    private Machine(MachineSpec spec, Kvm kvm) {
        this.spec = spec;
        this.kvm = kvm;
        int max = kvm.maxVcpus();
        if (spec.vcpus() > max) {
            throw new VmConfigurationException(
                    "%d vCPUs asked, but KVM on this host allows at most %d per VM".formatted(spec.vcpus(), max));
        }
        // Spaced a package per pretend node only under the test hook (spec.numa()); APIC id = vCPU index otherwise.
        this.apicIds = ApicIdMap.forGuest(spec.numa(), spec.vcpus());
        this.cpus = new VcpuGroup(0, apicIds);
        this.vm = kvm.createVm();
        this.memory = new GuestMemory(spec.memoryBytes());
    }

    /** Builds the VM and loads the guest; the vCPUs start with {@link #run}. */
    public static Machine create(MachineSpec spec) {
        MultibootImage image = spec.linux() == null ? MultibootImage.parse(spec.guestImage()) : null;
        Kvm kvm = Kvm.open();
        Machine m;
        try {
            m = new Machine(spec, kvm);
        } catch (RuntimeException e) {
            kvm.close();
            throw e;
        }
        try {
            m.assemble(image);
            return m;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private void assemble(MultibootImage image) {
        vm.setUserMemoryRegion(0, 0, memory.hostMapping());
        vm.setTssAddress(GuestLayout.KVM_TSS);

        router = new ApicRouter(cpus::wake, cpus.lifecycle(), RemoteIpiSink.NONE, IoApic.eoiThrough(mmio, LinuxLayout.IOAPIC_BASE));
        // The I/O APIC's messages take the IPIs' path through the router. The bundled guest leaves it masked.
        IoApic ioApic = new IoApic(LinuxLayout.IOAPIC_ID, LinuxLayout.IOAPIC_PINS, router);
        mmio.register(LinuxLayout.IOAPIC_BASE, LinuxLayout.IOAPIC_SIZE, "io-apic", ioApic);
        uart = new Uart16550(spec.console(), ioApic.line(LinuxLayout.UART_IRQ));
        pio.register(GuestLayout.UART_COM1, GuestLayout.UART_PORTS, "uart-com1", uart);
        // ACPI soft-off (the Linux guest's power-off): a clean end, status 0; what the guest reported is on its console.
        pio.register(LinuxLayout.ACPI_SLEEP_PORT, AcpiSleepControl.PORTS, "acpi-sleep",
                new AcpiSleepControl(() -> guestExit.complete(0)));
        pio.register(GuestLayout.DEBUG_EXIT, GuestLayout.DEBUG_EXIT_PORTS, "debug-exit", new DebugExit(guestExit::complete));
        // One node: every page is private already, so a declaration changes nothing.
        pio.register(GuestLayout.STATIC_PAGES, GuestLayout.STATIC_PAGES_PORTS, "static-pages",
                new StaticPagesPort(spec.memoryBytes(), (address, length) -> { }));
        pio.register(GuestLayout.BENCH, GuestLayout.BENCH_PORTS, "bench",
                new BenchDevice(memory, (vcpu, record) -> reports.add(new GuestReport(vcpu, record))));

        ApicPage apicPage = new ApicPage(spec.vcpus());
        mmio.register(ApicRegisters.MMIO_BASE, ApicRegisters.MMIO_SIZE, "local-apic", apicPage);

        cpus.create(kvm.supportedCpuid(), vm, 0, spec.vcpus(), router, apicPage, timers, pio, mmio, fds);
        tscKhz = fds.getFirst().tscKhz();

        if (spec.linux() != null) {
            LinuxBoot.prepare(memory, spec.linux(), spec.commandLine(), fds, apicIds, spec.numa());
            return;
        }
        long entry = MultibootLoader.load(memory, image, GuestAbi.withTscKhz(spec.commandLine(), tscKhz));
        EntryState.enterMultiboot(fds.getFirst(), entry);
    }

    /**
     * Runs the guest until it writes the debug-exit port, crashes, or {@code timeout} passes,
     * then stops every vCPU.
     */
    public RunOutcome run(Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        for (VirtualCpu cpu : cpus.all()) {
            cpu.start(cpu.index() == 0, guestExit::completeExceptionally);
        }
        int status = -1;
        Throwable failure = null;
        try {
            status = guestExit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (TimeoutException e) {
            failure = new GuestTimeoutException(timeout);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        stopVcpus();
        failure = cpus.explainCrash(cpus.explainTimeout(failure, timeout));
        List<Map<String, Long>> exits = cpus.exitsByVcpu();
        return new RunOutcome(status, failure, List.copyOf(reports), elapsed, exits, tscKhz);
    }

    /** Raises fixed interrupt {@code vector} on {@code vcpu}, as an IPI from outside the guest would. */
    public void raiseInterrupt(int vcpu, int vector) {
        int apicId = apicIds.apicId(vcpu);
        if (router.apic(apicId).accept(vector)) {
            cpus.wake(apicId);
        }
    }

    /** Bytes typed on the guest console (its UART's receiver); returns how many it took. */
    public int typeOnConsole(byte[] bytes, int offset, int length) {
        return uart.receive(bytes, offset, length);
    }

    public List<VirtualCpu> vcpus() {
        return cpus.all();
    }

    public GuestMemory memory() {
        return memory;
    }

    private void stopVcpus() throws InterruptedException {
        List<Integer> stuck = cpus.stop(STOP_GRACE);
        if (!stuck.isEmpty()) {
            throw new IllegalStateException("vCPUs " + stuck + " did not stop within " + STOP_GRACE.toSeconds() + " s");
        }
    }

    @Override
    public void close() {
        try {
            stopVcpus();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.close();
        for (VcpuFd fd : fds) {
            fd.close();
        }
        vm.close();
        memory.close();
        kvm.close();
    }
}
