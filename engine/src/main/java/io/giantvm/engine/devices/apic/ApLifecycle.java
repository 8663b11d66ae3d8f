package io.giantvm.engine.devices.apic;

/**
 * The CPU side of INIT and STARTUP messages, which the APIC only routes: the vCPU itself must be
 * reset or started. Implemented by the engine's vCPU layer. Called on the sending vCPU's thread
 * with no APIC lock held; the target APIC has already been reset by the router when init runs.
 */
public interface ApLifecycle {
    /** INIT: put the vCPU into wait-for-SIPI (its APIC state is already reset). */
    void init(int apicId);

    /**
     * STARTUP: if the vCPU is waiting for SIPI, start it in real mode at CS:IP = (vector << 8):0000,
     * i.e. physical address vector * 4096. Ignore it otherwise: guests send two SIPIs by
     * convention and the second must not restart a CPU that already runs.
     */
    void startup(int apicId, int vector);
}
