package io.giantvm.engine.kvm;

import io.giantvm.engine.os.Errno;
import io.giantvm.engine.os.Libc;
import io.giantvm.engine.os.NativeException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** The KVM subsystem handle ({@code /dev/kvm}): capabilities, supported CPUID, and VM creation. */
public final class Kvm implements AutoCloseable {
    public static final String DEVICE = "/dev/kvm";
    /** Upper bound on CPUID entries we ask for; KVM reports E2BIG when more exist. */
    private static final int MAX_CPUID_ENTRIES = 256;

    private final int fd;

    private Kvm(int fd) {
        this.fd = fd;
    }

    /** Opens /dev/kvm or explains, in one line, why this host cannot run guests. */
    public static Kvm open() {
        return open(DEVICE);
    }

    static Kvm open(String device) {
        int fd;
        try {
            fd = Libc.open(device, Libc.O_RDWR | Libc.O_CLOEXEC);
        } catch (NativeException e) {
            throw new KvmUnavailableException(switch (e.errno()) {
                case Errno.ENOENT -> device + " does not exist: this host offers no KVM"
                        + " (enable virtualization, load kvm_intel or kvm_amd, or run on a KVM-capable node)";
                case Errno.EACCES, Errno.EPERM -> "permission denied opening " + device
                        + " (run as root or add this user to the group that owns it, usually 'kvm')";
                case Errno.ENODEV, 6 /* ENXIO */ -> device + " exists but no KVM driver is bound to it";
                default -> "cannot open " + device + ": " + Errno.describe(e.errno());
            });
        }
        Kvm kvm = new Kvm(fd);
        int version = Libc.ioctl(fd, KvmIoctl.GET_API_VERSION, 0, "KVM_GET_API_VERSION");
        if (version != KvmIoctl.API_VERSION) {
            kvm.close();
            throw new KvmUnavailableException(
                    device + " speaks KVM API version " + version + ", the engine needs " + KvmIoctl.API_VERSION);
        }
        return kvm;
    }

    /** Size of the per-vCPU shared {@code kvm_run} area. */
    public int vcpuMmapSize() {
        return Libc.ioctl(fd, KvmIoctl.GET_VCPU_MMAP_SIZE, 0, "KVM_GET_VCPU_MMAP_SIZE");
    }

    /** The most vCPUs one VM may have on this host. */
    public int maxVcpus() {
        int max = Libc.ioctl(fd, KvmIoctl.CHECK_EXTENSION, KvmIoctl.CAP_MAX_VCPUS, "KVM_CHECK_EXTENSION(MAX_VCPUS)");
        if (max > 0) {
            return max;
        }
        int recommended = Libc.ioctl(fd, KvmIoctl.CHECK_EXTENSION, KvmIoctl.CAP_NR_VCPUS, "KVM_CHECK_EXTENSION(NR_VCPUS)");
        return recommended > 0 ? recommended : 4; // the API documents 4 when neither is reported
    }

    public List<CpuidEntry> supportedCpuid() {
        try (Arena arena = Arena.ofConfined()) {
            long size = KvmLayouts.CPUID2_HEADER.byteSize() + MAX_CPUID_ENTRIES * KvmLayouts.CPUID_ENTRY2.byteSize();
            MemorySegment buf = arena.allocate(size, 8);
            buf.set(ValueLayout.JAVA_INT, 0, MAX_CPUID_ENTRIES);
            Libc.ioctl(fd, KvmIoctl.GET_SUPPORTED_CPUID, buf, "KVM_GET_SUPPORTED_CPUID");
            int n = buf.get(ValueLayout.JAVA_INT, 0);
            List<CpuidEntry> entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                entries.add(CpuidEntry.read(buf.asSlice(KvmLayouts.CPUID2_HEADER.byteSize()
                        + i * KvmLayouts.CPUID_ENTRY2.byteSize(), KvmLayouts.CPUID_ENTRY2.byteSize())));
            }
            return entries;
        }
    }

    public VirtualMachine createVm() {
        int vmFd = Libc.ioctl(fd, KvmIoctl.CREATE_VM, 0, "KVM_CREATE_VM");
        return new VirtualMachine(vmFd, vcpuMmapSize());
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
