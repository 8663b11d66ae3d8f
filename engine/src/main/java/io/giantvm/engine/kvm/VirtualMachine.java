package io.giantvm.engine.kvm;

import io.giantvm.engine.os.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A KVM VM file descriptor: memory slots and vCPU creation. */
public final class VirtualMachine implements AutoCloseable {
    private final int fd;
    private final int vcpuMmapSize;

    VirtualMachine(int fd, int vcpuMmapSize) {
        this.fd = fd;
        this.vcpuMmapSize = vcpuMmapSize;
    }

    /** Maps guest-physical {@code [gpa, gpa+host.byteSize())} onto the host memory {@code host}. */
    public void setUserMemoryRegion(int slot, long gpa, MemorySegment host) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = arena.allocate(KvmLayouts.USERSPACE_MEMORY_REGION);
            r.set(ValueLayout.JAVA_INT, KvmLayouts.offset(KvmLayouts.USERSPACE_MEMORY_REGION, "slot"), slot);
            r.set(ValueLayout.JAVA_LONG, KvmLayouts.offset(KvmLayouts.USERSPACE_MEMORY_REGION, "guest_phys_addr"), gpa);
            r.set(ValueLayout.JAVA_LONG, KvmLayouts.offset(KvmLayouts.USERSPACE_MEMORY_REGION, "memory_size"), host.byteSize());
            r.set(ValueLayout.JAVA_LONG, KvmLayouts.offset(KvmLayouts.USERSPACE_MEMORY_REGION, "userspace_addr"), host.address());
            Libc.ioctl(fd, KvmIoctl.SET_USER_MEMORY_REGION, r, "KVM_SET_USER_MEMORY_REGION(slot " + slot + ")");
        }
    }

    /**
     * Intel hosts need three pages of guest-physical space for the real-mode TSS that VMX uses to
     * emulate real mode (our APs start there); the address must not be RAM. Harmless elsewhere.
     */
    public void setTssAddress(long gpa) {
        Libc.ioctl(fd, KvmIoctl.SET_TSS_ADDR, gpa, "KVM_SET_TSS_ADDR");
    }

    public VcpuFd createVcpu(int id) {
        int vcpuFd = Libc.ioctl(fd, KvmIoctl.CREATE_VCPU, id, "KVM_CREATE_VCPU(" + id + ")");
        return new VcpuFd(id, vcpuFd, vcpuMmapSize);
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
