package io.giantvm.engine.forward;

import io.giantvm.engine.devices.BusDevice;
import io.giantvm.engine.mesh.PeerDownException;
import io.giantvm.engine.mesh.RemoteFailureException;
import io.giantvm.engine.mesh.ReplyWait;
import io.giantvm.engine.mesh.Transport;
import io.giantvm.engine.mesh.v1.Frame;
import io.giantvm.engine.mesh.v1.IoRequest;
import io.giantvm.engine.mesh.v1.IoSpace;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * Stands in for a device that lives on another node: each access becomes an {@link IoRequest} to
 * {@code owner}, and the vCPU waits (bounded) for the reply, as a real access would stall the CPU.
 * Registered at the same base as the real device, so offsets turn back into absolute addresses here.
 * A failed access throws {@link RemoteDeviceException} naming the node; on a vCPU thread that stops the VM.
 */
public final class RemoteDevice implements BusDevice {
    private final Transport transport;
    private final int owner;
    private final IoSpace space;
    private final long base;
    private final String name;
    private final Duration timeout;
    private final LongAdder forwarded = new LongAdder();

    public RemoteDevice(Transport transport, int owner, IoSpace space, long base, String name, Duration timeout) {
        if (owner == transport.self()) {
            throw new IllegalArgumentException(name + " lives on this node (" + owner + "); register the real device");
        }
        this.transport = transport;
        this.owner = owner;
        this.space = space;
        this.base = base;
        this.name = name;
        this.timeout = timeout;
    }

    /** Accesses sent to the owner so far. */
    public long forwardedAccesses() {
        return forwarded.sum();
    }

    @Override
    public long read(int vcpu, long offset, int size) {
        return call(vcpu, offset, size, false, 0);
    }

    @Override
    public void write(int vcpu, long offset, int size, long value) {
        call(vcpu, offset, size, true, value);
    }

    private long call(int vcpu, long offset, int size, boolean write, long value) {
        forwarded.increment();
        long address = base + offset;
        Frame.Builder request = Frame.newBuilder().setIoRequest(IoRequest.newBuilder()
                .setVcpu(vcpu).setSpace(space).setAddress(address).setSize(size).setWrite(write).setData(value));
        try {
            // The vCPU can do nothing else meanwhile: it reads the reply off the connection itself, or polls for it,
            // briefly before it parks (ReplyWait).
            Frame reply = ReplyWait.request(transport, owner, request, timeout);
            return reply.getIoReply().getData();
        } catch (ExecutionException e) {
            throw failure(vcpu, address, write, describe(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw failure(vcpu, address, write, "no reply within " + timeout.toMillis() + " ms", e);
        } catch (PeerDownException e) {
            throw failure(vcpu, address, write, describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(vcpu, address, write, "interrupted", e);
        }
    }

    private String describe(Throwable cause) {
        return switch (cause) {
            case PeerDownException p -> "node " + p.node() + " is down";
            case TimeoutException t -> "no reply within " + timeout.toMillis() + " ms (node " + owner + " is wedged or dead)";
            case RemoteFailureException r -> "node " + owner + " refused it: " + r.getMessage();
            default -> String.valueOf(cause);
        };
    }

    private RemoteDeviceException failure(int vcpu, long address, boolean write, String why, Throwable cause) {
        String where = space == IoSpace.PORT ? "port 0x%x".formatted(address) : "MMIO 0x%x".formatted(address);
        return new RemoteDeviceException("vCPU %d: %s of %s (%s) forwarded to node %d failed: %s"
                .formatted(vcpu, write ? "write" : "read", where, name, owner, why), cause);
    }
}
