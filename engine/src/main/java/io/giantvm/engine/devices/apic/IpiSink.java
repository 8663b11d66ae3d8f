package io.giantvm.engine.devices.apic;

/**
 * Where a local APIC hands the IPIs its guest sends. Called on the sending vCPU's thread after the
 * ICR write, with no APIC lock held, and must deliver before returning: the ICR's delivery-status
 * bit always reads idle, so a guest may assume the message has left once its write completes.
 */
@FunctionalInterface
public interface IpiSink {
    void send(Ipi ipi);
}
