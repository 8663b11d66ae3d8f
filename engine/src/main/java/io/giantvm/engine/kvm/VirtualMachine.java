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

    /**
     * Sets the VM's kvmclock (what the guest's kvm-clock clocksource and sched_clock read) to {@code nanos} now.
     * KVM starts every VM's kvmclock at 0 when the VM is created, so the nodes of one distributed VM, each a KVM
     * VM of its own created at its own moment, would otherwise show the guest clocks seconds apart.
     */
    public void setClock(long nanos) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment c = arena.allocate(KvmLayouts.CLOCK_DATA);
            c.set(ValueLayout.JAVA_LONG, KvmLayouts.offset(KvmLayouts.CLOCK_DATA, "clock"), nanos);
            Libc.ioctl(fd, KvmIoctl.SET_CLOCK, c, "KVM_SET_CLOCK");
        }
    }

    /** The VM's kvmclock now, in nanoseconds. */
    public long clock() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment c = arena.allocate(KvmLayouts.CLOCK_DATA);
            Libc.ioctl(fd, KvmIoctl.GET_CLOCK, c, "KVM_GET_CLOCK");
            return c.get(ValueLayout.JAVA_LONG, KvmLayouts.offset(KvmLayouts.CLOCK_DATA, "clock"));
        }
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
