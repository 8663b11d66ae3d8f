package io.giantvm.engine.vm;

import io.giantvm.engine.cpu.ApicIdMap;
import io.giantvm.engine.cpu.CpuidPolicy;
import io.giantvm.engine.devices.Bus;
import io.giantvm.engine.devices.apic.ApicPage;
import io.giantvm.engine.devices.apic.ApicRouter;
import io.giantvm.engine.devices.apic.HostTimerScheduler;
import io.giantvm.engine.kvm.CpuidEntry;
import io.giantvm.engine.kvm.VcpuFd;
import io.giantvm.engine.kvm.VirtualMachine;

import io.giantvm.engine.cpu.GuestCrashException;
import io.giantvm.engine.cpu.InterruptSource;
import io.giantvm.engine.cpu.VcpuState;
import io.giantvm.engine.cpu.VirtualCpu;
import io.giantvm.engine.devices.apic.ApLifecycle;
import io.giantvm.engine.devices.apic.LocalApic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The vCPUs one process runs, addressed by global index: all of them on a single node, a contiguous block on a
 * node of a distributed VM. What the APICs name by APIC id (wake-ups, INIT, SIPI) is turned into a vCPU by the VM's
 * {@link ApicIdMap}; ids that are no vCPU of this block are not ours and are ignored here (the APIC router forwards
 * what is meant for other nodes).
 */
final class VcpuGroup {
    static final int OTHER_VCPU_EVENTS = 24;

    private final int first;
    private final ApicIdMap apicIds;
    private final List<VirtualCpu> cpus = new ArrayList<>();

    VcpuGroup(int first, ApicIdMap apicIds) {
        this.first = first;
        this.apicIds = apicIds;
    }

    void add(VirtualCpu cpu) {
        if (cpu.index() != first + cpus.size()) {
            throw new IllegalArgumentException("vCPU " + cpu.index() + " added out of order after " + (first + cpus.size() - 1));
        }
        cpus.add(cpu);
    }

    List<VirtualCpu> all() {
        return List.copyOf(cpus);
    }

    VirtualCpu get(int globalIndex) {
        int i = globalIndex - first;
        return i >= 0 && i < cpus.size() ? cpus.get(i) : null;
    }

    /** The vCPU of this group with {@code apicId}, or null. */
    private VirtualCpu withApicId(int apicId) {
        int vcpu = apicIds.vcpu(apicId);
        return vcpu < 0 ? null : get(vcpu);
    }

    void wake(int apicId) {
        VirtualCpu cpu = withApicId(apicId);
        if (cpu != null) {
            cpu.kick();
        }
    }

    /** INIT and SIPI for the application processors hosted here. */
    ApLifecycle lifecycle() {
        return new ApLifecycle() {
            @Override
            public void init(int apicId) {
                VirtualCpu cpu = withApicId(apicId);
                if (cpu != null && cpu.index() > 0) { // INIT to the BSP (vCPU 0) would reboot it: not modelled
                    cpu.init();
                }
            }

            @Override
            public void startup(int apicId, int vector) {
                VirtualCpu cpu = withApicId(apicId);
                if (cpu != null && cpu.index() > 0) {
                    cpu.startup(vector);
                }
            }
        };
    }

    /**
     * Creates vCPUs {@code first .. first+count-1} of the VM, each with its CPUID, power-on FPU state and local
     * APIC (with its id from the map, registered with {@code router}, attached to {@code apicPage} by vCPU index),
     * and adds them to this group. Their fds are appended to {@code fds}, in order.
     */
    void create(List<CpuidEntry> supported, VirtualMachine vm, int first, int count,
                ApicRouter router, ApicPage apicPage, HostTimerScheduler timers, Bus pio, Bus mmio, List<VcpuFd> fds) {
        for (int i = first; i < first + count; i++) {
            VcpuFd fd = vm.createVcpu(i);
            fds.add(fd);
            fd.setCpuid(CpuidPolicy.forVcpu(supported, i, apicIds));
            fd.resetFpu();
            LocalApic apic = new LocalApic(apicIds.apicId(i), router, timers, this::wake, router);
            router.register(apic);
            apicPage.attach(i, apic);
            VirtualCpu cpu = new VirtualCpu(i, fd, pio, mmio);
            cpu.connectInterrupts(interruptsOf(apic));
            add(cpu);
        }
    }

    /**
     * After the vCPUs stopped: a timeout gains where each vCPU of this group was ("vCPU i STATE at RIP 0x…"),
     * so a hung guest shows what it waited for; any other failure (or none) passes unchanged.
     */
    Throwable explainTimeout(Throwable failure, Duration timeout) {
        if (!(failure instanceof GuestTimeoutException)) {
            return failure;
        }
        return new GuestTimeoutException(timeout, cpus.stream().map(c -> "vCPU " + c.index() + " " + c.whereStopped()
                        + (c.interruptState().isEmpty() ? "" : " (" + c.interruptState() + ")"))
                .collect(Collectors.joining("; ")));
    }

    /**
     * After the vCPUs stopped: a guest crash gains a line per other vCPU of this group (where it was, its APIC, its
     * last {@value #OTHER_VCPU_EVENTS} events), so a crash that ends another vCPU's story (an IPI never answered, a
     * vector stuck in service) shows it; any other failure (or none) passes unchanged.
     */
    Throwable explainCrash(Throwable failure) {
        if (!(failure instanceof GuestCrashException crash)) {
            return failure;
        }
        return crash.withOtherVcpus(cpus.stream().filter(c -> c.index() != crash.vcpu() && c.state() == VcpuState.STOPPED)
                .map(c -> "vCPU %d %s (%s); last events: %s".formatted(c.index(), c.whereStopped(), c.interruptState(),
                        String.join(", ", c.lastEvents(OTHER_VCPU_EVENTS))))
                .toList());
    }

    /** Per vCPU of this group, exits by reason. */
    List<Map<String, Long>> exitsByVcpu() {
        return cpus.stream().map(c -> c.exits().byName()).toList();
    }

    /** Asks every vCPU to stop and waits up to {@code grace} in total; returns the vCPUs still running. */
    List<Integer> stop(Duration grace) throws InterruptedException {
        for (VirtualCpu cpu : cpus) {
            cpu.requestStop();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        List<Integer> stuck = new ArrayList<>();
        for (VirtualCpu cpu : cpus) {
            if (!cpu.awaitStopped(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                stuck.add(cpu.index());
            }
        }
        return stuck;
    }

    static InterruptSource interruptsOf(LocalApic apic) {
        return new InterruptSource() {
            @Override
            public int pendingVector() {
                return apic.pendingVector();
            }

            @Override
            public String describe() {
                return apic.describe();
            }

            @Override
            public int acknowledge() {
                return apic.acknowledge();
            }

            @Override
            public boolean hasPendingNmi() {
                return apic.hasPendingNmi();
            }

            @Override
            public boolean takeNmi() {
                return apic.takeNmi();
            }
        };
    }
}
