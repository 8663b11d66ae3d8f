package io.giantvm.engine.kvm;

import io.giantvm.engine.os.Libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * A KVM vCPU file descriptor and its {@code kvm_run} page. After set-up, only the owning vCPU
 * thread calls it (KVM requires vCPU ioctls from the thread that runs the vCPU to be cheap; the
 * buffers here are reused, so they are not thread-safe either).
 */
public final class VcpuFd implements AutoCloseable {
    private final int id;
    private final int fd;
    private final MemorySegment runPage;
    private final KvmRun run;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment interrupt = arena.allocate(KvmLayouts.INTERRUPT);

    VcpuFd(int id, int fd, int mmapSize) {
        this.id = id;
        this.fd = fd;
        this.runPage = Libc.mmap(mmapSize, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0,
                "kvm_run of vCPU " + id);
        this.run = new KvmRun(runPage);
    }

    public int id() {
        return id;
    }

    public KvmRun runState() {
        return run;
    }

    /**
     * Enters the guest until the next exit.
     *
     * @return false when a kick signal interrupted the run (EINTR) instead of a guest exit
     */
    public boolean run() {
        return Libc.ioctlInterruptible(fd, KvmIoctl.RUN, 0, "KVM_RUN(vCPU " + id + ")") >= 0;
    }

    public Registers registers(Registers into) {
        Libc.ioctl(fd, KvmIoctl.GET_REGS, into.buffer, "KVM_GET_REGS");
        return into;
    }

    public void setRegisters(Registers regs) {
        Libc.ioctl(fd, KvmIoctl.SET_REGS, regs.buffer, "KVM_SET_REGS");
    }

    public SpecialRegisters specialRegisters(SpecialRegisters into) {
        Libc.ioctl(fd, KvmIoctl.GET_SREGS, into.buffer, "KVM_GET_SREGS");
        return into;
    }

    public void setSpecialRegisters(SpecialRegisters sregs) {
        Libc.ioctl(fd, KvmIoctl.SET_SREGS, sregs.buffer, "KVM_SET_SREGS");
    }

    public void setCpuid(List<CpuidEntry> entries) {
        try (Arena a = Arena.ofConfined()) {
            long entrySize = KvmLayouts.CPUID_ENTRY2.byteSize();
            MemorySegment buf = a.allocate(KvmLayouts.CPUID2_HEADER.byteSize() + entries.size() * entrySize, 8);
            buf.set(ValueLayout.JAVA_INT, 0, entries.size());
            for (int i = 0; i < entries.size(); i++) {
                entries.get(i).write(buf.asSlice(KvmLayouts.CPUID2_HEADER.byteSize() + i * entrySize, entrySize));
            }
            Libc.ioctl(fd, KvmIoctl.SET_CPUID2, buf, "KVM_SET_CPUID2");
        }
    }

    /** The signal mask in force while the guest runs (kernel sigset, 8 bytes). */
    public void setSignalMask(long kernelSigset) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(KvmLayouts.SIGNAL_MASK_HEADER.byteSize() + Libc.KERNEL_SIGSET_BYTES, 8);
            buf.set(ValueLayout.JAVA_INT, 0, Libc.KERNEL_SIGSET_BYTES);
            buf.set(ValueLayout.JAVA_LONG_UNALIGNED, KvmLayouts.SIGNAL_MASK_HEADER.byteSize(), kernelSigset);
            Libc.ioctl(fd, KvmIoctl.SET_SIGNAL_MASK, buf, "KVM_SET_SIGNAL_MASK");
        }
    }

    /**
     * Puts the x87/SSE state in its power-on values (x87 control word 0x37F, MXCSR 0x1F80), as
     * firmware would; the guest's ring-3 workloads use SSE registers via the compiler.
     */
    public void resetFpu() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment fpu = a.allocate(KvmLayouts.FPU);
            Libc.ioctl(fd, KvmIoctl.GET_FPU, fpu, "KVM_GET_FPU");
            fpu.set(ValueLayout.JAVA_SHORT, KvmLayouts.offset(KvmLayouts.FPU, "fcw"), (short) 0x37F);
            fpu.set(ValueLayout.JAVA_INT, KvmLayouts.offset(KvmLayouts.FPU, "mxcsr"), 0x1F80);
            Libc.ioctl(fd, KvmIoctl.SET_FPU, fpu, "KVM_SET_FPU");
        }
    }

    /** Queues external interrupt {@code vector}; only valid when the run page says the guest is ready. */
    public void interrupt(int vector) {
        interrupt.set(ValueLayout.JAVA_INT, 0, vector);
        Libc.ioctl(fd, KvmIoctl.INTERRUPT, interrupt, "KVM_INTERRUPT(" + vector + ")");
    }

    /** Injects a non-maskable interrupt; KVM delivers it when the guest can take one. */
    public void nmi() {
        Libc.ioctl(fd, KvmIoctl.NMI, 0, "KVM_NMI");
    }

    /** IA32_TSC: written by the host, sets the guest's TSC to the value at this moment. */
    public static final int MSR_IA32_TSC = 0x10;

    /** Writes one model-specific register (set-up only: allocates). */
    public void setMsr(int index, long value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment msrs = a.allocate(KvmLayouts.MSRS_HEADER.byteSize() + KvmLayouts.MSR_ENTRY.byteSize(), 8);
            msrs.set(ValueLayout.JAVA_INT, 0, 1);
            MemorySegment entry = msrs.asSlice(KvmLayouts.MSRS_HEADER.byteSize());
            entry.set(ValueLayout.JAVA_INT, 0, index);
            entry.set(ValueLayout.JAVA_LONG, 8, value);
            int set = Libc.ioctl(fd, KvmIoctl.SET_MSRS, msrs, "KVM_SET_MSRS(0x" + Integer.toHexString(index) + ")");
            if (set != 1) {
                throw new IllegalStateException("KVM_SET_MSRS: KVM refused MSR 0x" + Integer.toHexString(index) + " on vCPU " + id);
            }
        }
    }

    /** Sets the guest TSC frequency (needs TSC scaling on the host unless it equals the host's). */
    public void setTscKhz(int khz) {
        Libc.ioctl(fd, KvmIoctl.SET_TSC_KHZ, khz, "KVM_SET_TSC_KHZ(" + khz + ")");
    }

    /** The guest TSC frequency in kHz. */
    public int tscKhz() {
        return Libc.ioctl(fd, KvmIoctl.GET_TSC_KHZ, 0, "KVM_GET_TSC_KHZ");
    }

    @Override
    public void close() {
        Libc.munmap(runPage);
        Libc.close(fd);
        arena.close();
    }
}
