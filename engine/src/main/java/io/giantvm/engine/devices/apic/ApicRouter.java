package io.giantvm.engine.devices.apic;

import static io.giantvm.engine.devices.apic.ApicRegisters.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * This node's IPI switch: resolves an IPI's destinations among the APICs hosted here, delivers to
 * them, and hands whatever may be destined elsewhere to the {@link RemoteIpiSink}.
 *
 * <p>Delivery per mode: FIXED sets the vector in the target's IRR and wakes its vCPU;
 * LOWEST_PRIORITY does the same for the single local target with the lowest processor priority
 * (ties: lowest APIC id; hardware would rotate); NMI marks an NMI pending and wakes; INIT resets
 * the target APIC then calls {@link ApLifecycle#init}; STARTUP calls {@link ApLifecycle#startup};
 * the INIT level de-assert message is ignored (P6-era arbitration-id sync); SMI and the reserved
 * modes are counted and dropped (no SMM here).
 *
 * <p>Across nodes: a physical unicast goes either to its local APIC or, if that id is not hosted
 * here, to the remote sink. Broadcasts (shorthand "all", physical 0xFF) and logical messages may
 * match APICs on every node, so they are delivered locally and also forwarded; the receiving node
 * calls {@link #deliverFromRemote}, which only delivers locally. A lowest-priority message with a
 * local match stays on this node (arbitration across nodes would cost a round trip per IPI).
 *
 * <p>Thread-safety: registration happens while the VM is set up; {@link #send} runs concurrently
 * on every vCPU thread and takes no lock of its own, only each target APIC's lock in turn.
 */
public final class ApicRouter implements IpiSink, EoiBroadcast {
    private final AtomicReferenceArray<LocalApic> byId = new AtomicReferenceArray<>(MAX_APIC_IDS);
    private final VcpuWaker waker;
    private final ApLifecycle lifecycle;
    private final RemoteIpiSink remote;
    private final EoiBroadcast eoiBroadcast;
    private final LongAdder forwarded = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    public ApicRouter(VcpuWaker waker, ApLifecycle lifecycle, RemoteIpiSink remote) {
        this(waker, lifecycle, remote, EoiBroadcast.NONE);
    }

    /** @param eoiBroadcast where the local APICs' EOIs of level-triggered vectors go (the I/O APIC) */
    public ApicRouter(VcpuWaker waker, ApLifecycle lifecycle, RemoteIpiSink remote, EoiBroadcast eoiBroadcast) {
        this.waker = waker;
        this.lifecycle = lifecycle;
        this.remote = remote;
        this.eoiBroadcast = eoiBroadcast;
    }

    /** A local APIC's EOI of a level-triggered vector, on its way to the I/O APIC. */
    @Override
    public void endOfInterrupt(int vcpu, int vector) {
        eoiBroadcast.endOfInterrupt(vcpu, vector);
    }

    /** Hosts {@code apic} on this node; its id must be unique. */
    public void register(LocalApic apic) {
        if (!byId.compareAndSet(apic.apicId(), null, apic)) {
            throw new IllegalArgumentException("APIC id " + apic.apicId() + " is already registered on this node");
        }
    }

    /** The local APIC with {@code apicId}, or null when it is not hosted here. */
    public LocalApic apic(int apicId) {
        return apicId >= 0 && apicId < MAX_APIC_IDS ? byId.get(apicId) : null;
    }

    /** An IPI sent by a local APIC. */
    @Override
    public void send(Ipi ipi) {
        route(ipi, true);
    }

    /** An IPI that the mesh brought from another node: deliver to matching local APICs only. */
    public void deliverFromRemote(Ipi ipi) {
        route(ipi, false);
    }

    /** IPIs handed to the remote sink. */
    public long forwardedIpis() {
        return forwarded.sum();
    }

    /** IPIs (or parts of one) that reached no APIC: unknown id on a single node, SMI, reserved modes, de-asserts. */
    public long droppedIpis() {
        return dropped.sum();
    }

    private void route(Ipi ipi, boolean mayForward) {
        if (ipi.isInitLevelDeassert() || !isSupported(ipi.deliveryMode())) {
            dropped.increment();
            return;
        }
        List<LocalApic> targets = localTargets(ipi);
        if (ipi.deliveryMode() == DeliveryMode.LOWEST_PRIORITY && !targets.isEmpty()) {
            deliver(ipi, lowestPriority(targets));
            return;
        }
        for (LocalApic target : targets) {
            deliver(ipi, target);
        }
        boolean mayBeElsewhere = ipi.shorthand() != DestinationShorthand.SELF
                && (!ipi.isPhysicalUnicast() || targets.isEmpty());
        if (mayForward && mayBeElsewhere && remote != RemoteIpiSink.NONE) {
            forwarded.increment();
            remote.forward(ipi);
        } else if (targets.isEmpty()) {
            dropped.increment();
        }
    }

    private static boolean isSupported(DeliveryMode mode) {
        return switch (mode) {
            case FIXED, LOWEST_PRIORITY, NMI, INIT, STARTUP -> true;
            case SMI, RESERVED_3, RESERVED_7 -> false;
        };
    }

    private List<LocalApic> localTargets(Ipi ipi) {
        List<LocalApic> targets = new ArrayList<>();
        switch (ipi.shorthand()) {
            case SELF -> addIfPresent(targets, ipi.sourceApicId());
            case ALL_INCLUDING_SELF -> addAll(targets, -1);
            case ALL_EXCLUDING_SELF -> addAll(targets, ipi.sourceApicId());
            case NONE -> {
                if (ipi.destinationMode() == DestinationMode.LOGICAL) {
                    for (int id = 0; id < MAX_APIC_IDS; id++) {
                        LocalApic apic = byId.get(id);
                        if (apic != null && apic.matchesLogical(ipi.destination())) {
                            targets.add(apic);
                        }
                    }
                } else if (ipi.destination() == BROADCAST_ID) {
                    addAll(targets, -1);
                } else {
                    addIfPresent(targets, ipi.destination());
                }
            }
        }
        return targets;
    }

    private void addIfPresent(List<LocalApic> targets, int id) {
        LocalApic apic = byId.get(id);
        if (apic != null) {
            targets.add(apic);
        }
    }

    private void addAll(List<LocalApic> targets, int exceptId) {
        for (int id = 0; id < MAX_APIC_IDS; id++) {
            if (id != exceptId) {
                addIfPresent(targets, id);
            }
        }
    }

    private static LocalApic lowestPriority(List<LocalApic> targets) {
        LocalApic best = targets.getFirst(); // ascending ids: ties keep the lowest id
        int bestPriority = best.processorPriority();
        for (LocalApic candidate : targets.subList(1, targets.size())) {
            int priority = candidate.processorPriority();
            if (priority < bestPriority) {
                best = candidate;
                bestPriority = priority;
            }
        }
        return best;
    }

    private void deliver(Ipi ipi, LocalApic target) {
        int id = target.apicId();
        switch (ipi.deliveryMode()) {
            case FIXED, LOWEST_PRIORITY -> {
                if (target.accept(ipi.vector(), ipi.triggerMode() == TriggerMode.LEVEL)) {
                    waker.wake(id);
                }
            }
            case NMI -> {
                if (target.acceptNmi()) {
                    waker.wake(id);
                }
            }
            case INIT -> {
                target.init();
                lifecycle.init(id);
            }
            case STARTUP -> lifecycle.startup(id, ipi.vector());
            case SMI, RESERVED_3, RESERVED_7 -> throw new IllegalStateException("unsupported mode reached delivery: " + ipi);
        }
    }
}
