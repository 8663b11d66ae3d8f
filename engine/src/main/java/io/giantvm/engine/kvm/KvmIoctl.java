package io.giantvm.engine.kvm;

/**
 * ioctl request numbers of the KVM API, computed with the kernel's {@code _IOC} encoding so each
 * one reads like its definition in {@code <linux/kvm.h>}. A test compares every value with the
 * kernel header compiled by gcc.
 */
public final class KvmIoctl {
    private static final int KVMIO = 0xAE;
    private static final int NONE = 0;
    private static final int WRITE = 1;
    private static final int READ = 2;

    public static final long GET_API_VERSION = io(0x00);
    public static final long CREATE_VM = io(0x01);
    public static final long CHECK_EXTENSION = io(0x03);
    public static final long GET_VCPU_MMAP_SIZE = io(0x04);
    public static final long GET_SUPPORTED_CPUID = iowr(0x05, KvmLayouts.CPUID2_HEADER.byteSize());
    public static final long CREATE_VCPU = io(0x41);
    public static final long SET_USER_MEMORY_REGION = iow(0x46, KvmLayouts.USERSPACE_MEMORY_REGION.byteSize());
    public static final long SET_TSS_ADDR = io(0x47);
    public static final long SET_IDENTITY_MAP_ADDR = iow(0x48, 8);
    public static final long RUN = io(0x80);
    public static final long GET_REGS = ior(0x81, KvmLayouts.REGS.byteSize());
    public static final long SET_REGS = iow(0x82, KvmLayouts.REGS.byteSize());
    public static final long GET_SREGS = ior(0x83, KvmLayouts.SREGS.byteSize());
    public static final long SET_SREGS = iow(0x84, KvmLayouts.SREGS.byteSize());
    public static final long INTERRUPT = iow(0x86, KvmLayouts.INTERRUPT.byteSize());
    public static final long GET_MSRS = iowr(0x88, KvmLayouts.MSRS_HEADER.byteSize());
    public static final long SET_MSRS = iow(0x89, KvmLayouts.MSRS_HEADER.byteSize());
    public static final long SET_SIGNAL_MASK = iow(0x8b, KvmLayouts.SIGNAL_MASK_HEADER.byteSize());
    public static final long GET_FPU = ior(0x8c, KvmLayouts.FPU.byteSize());
    public static final long SET_FPU = iow(0x8d, KvmLayouts.FPU.byteSize());
    public static final long SET_CPUID2 = iow(0x90, KvmLayouts.CPUID2_HEADER.byteSize());
    public static final long NMI = io(0x9a);
    public static final long SET_CLOCK = iow(0x7b, KvmLayouts.CLOCK_DATA.byteSize());
    public static final long GET_CLOCK = ior(0x7c, KvmLayouts.CLOCK_DATA.byteSize());
    public static final long SET_TSC_KHZ = io(0xa2);
    public static final long GET_TSC_KHZ = io(0xa3);

    /** Capabilities queried with CHECK_EXTENSION. */
    public static final int CAP_NR_VCPUS = 9;
    public static final int CAP_MAX_VCPUS = 66;
    public static final int CAP_IMMEDIATE_EXIT = 136;

    /** The only KVM API version there has ever been. */
    public static final int API_VERSION = 12;

    private KvmIoctl() {}

    private static long ioc(int dir, int nr, long size) {
        return ((long) dir << 30) | (size << 16) | ((long) KVMIO << 8) | nr;
    }

    private static long io(int nr) {
        return ioc(NONE, nr, 0);
    }

    private static long ior(int nr, long size) {
        return ioc(READ, nr, size);
    }

    private static long iow(int nr, long size) {
        return ioc(WRITE, nr, size);
    }

    private static long iowr(int nr, long size) {
        return ioc(READ | WRITE, nr, size);
    }
}
