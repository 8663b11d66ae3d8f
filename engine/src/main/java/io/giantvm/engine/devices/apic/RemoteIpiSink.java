package io.giantvm.engine.devices.apic;

/**
 * Carries IPIs to the other nodes of the mesh. The router hands it every message that may have
 * a destination off this node: physical unicasts to APIC ids it does not host, and every
 * broadcast or logical message (which it also delivers locally). The receiving node delivers
 * the message with {@link ApicRouter#deliverFromRemote(Ipi)}, which never forwards again.
 * Called on the sending vCPU's thread with no APIC lock held.
 */
@FunctionalInterface
public interface RemoteIpiSink {
    void forward(Ipi ipi);

    /** For a single-node VM: there is nowhere to forward to, and the router counts unicasts it cannot place. */
    RemoteIpiSink NONE = ipi -> {
    };
}
