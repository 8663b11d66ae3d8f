/**
 * The userspace local APIC (xAPIC), its IPI routing and its timer.
 *
 * <p>Why in user space: an in-kernel LAPIC would deliver IPIs inside KVM, where the engine could
 * not see them, and GiantVM's vCPUs span nodes, so every IPI must be able to leave the process.
 * The engine runs KVM without an irqchip and injects {@link io.giantvm.engine.devices.apic.LocalApic#pendingVector()}
 * with KVM_INTERRUPT at interrupt windows.
 *
 * <p>Wiring (done by the engine): one {@link io.giantvm.engine.devices.apic.HostTimerScheduler}
 * per engine; one {@link io.giantvm.engine.devices.apic.ApicRouter} per node, given a
 * {@link io.giantvm.engine.devices.apic.VcpuWaker}, an {@link io.giantvm.engine.devices.apic.ApLifecycle}
 * and a {@link io.giantvm.engine.devices.apic.RemoteIpiSink}; one LocalApic per local vCPU with the
 * router as its {@link io.giantvm.engine.devices.apic.IpiSink}, registered with the router and
 * attached to the single {@link io.giantvm.engine.devices.apic.ApicPage} on the MMIO bus.
 *
 * <p>Injection loop (engine side): after every exit and every {@link io.giantvm.engine.devices.apic.VcpuWaker#wake},
 * the vCPU thread checks {@code takeNmi()} (KVM_NMI) and {@code pendingVector()}; if a vector is
 * pending and {@code kvm_run.ready_for_interrupt_injection} is set with RFLAGS.IF = 1, it calls
 * {@code acknowledge()} and injects the result with KVM_INTERRUPT (skipping -1), otherwise it sets
 * {@code request_interrupt_window} and re-enters. A vCPU halted in HLT resumes when a vector is pending.
 * CPUID must not advertise x2APIC (leaf 1 ECX bit 21) or TSC-deadline (leaf 1 ECX bit 24).
 *
 * <p>APIC ids are not vCPU indexes: the engine gives each LocalApic the id {@code cpu/ApicIdMap} assigns (spaced a
 * package per engine node when a Linux guest is told each node is a NUMA node, so ids may have gaps). The router
 * keys APICs by id over the whole 8-bit space, so sparse ids route like packed ones; {@link
 * io.giantvm.engine.devices.apic.VcpuWaker} and {@link io.giantvm.engine.devices.apic.ApLifecycle} are called with
 * APIC ids, which the engine turns back into vCPUs. Logical destinations are the LDR the guest writes (xAPIC flat or
 * cluster); with x2APIC hidden there is no x2APIC logical id derived from the APIC id to keep consistent.
 *
 * <p>Locks: each LocalApic has one lock, never held while calling the router, a waker, the
 * lifecycle or the remote sink, so no two APIC locks ever nest and no lock order between APICs
 * exists. Order where locks do nest: LocalApic lock, then the TimerScheduler's internal lock.
 *
 * <p>Not supported (by design, for now): x2APIC mode, TSC-deadline timer mode, SMI, focus
 * processor checking, EOI broadcast suppression, level-triggered interrupts from an I/O APIC,
 * LINT0/LINT1 sources (the entries are stored only), lowest-priority arbitration across nodes.
 */
package io.giantvm.engine.devices.apic;
