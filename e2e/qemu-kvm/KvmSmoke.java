import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Drives /dev/kvm from Java 25 through the FFM API the way the engine does, to prove that path
 * works inside the qemu-kvm harness VM: KVM_GET_API_VERSION must be 12, then a real-mode guest
 * runs "mov al,42; out 0x10,al; hlt" and must exit with KVM_EXIT_IO(0x10, 42), then KVM_EXIT_HLT.
 * Run: java --enable-native-access=ALL-UNNAMED KvmSmoke.java   (prints OK, exit 0; else exit 1)
 */
public final class KvmSmoke {
    // ioctl numbers and struct offsets from <linux/kvm.h> for x86-64.
    private static final long KVM_GET_API_VERSION = 0xAE00;
    private static final long KVM_CREATE_VM = 0xAE01;
    private static final long KVM_GET_VCPU_MMAP_SIZE = 0xAE04;
    private static final long KVM_CREATE_VCPU = 0xAE41;
    private static final long KVM_RUN = 0xAE80;
    private static final long KVM_SET_USER_MEMORY_REGION = 0x4020AE46;
    private static final long KVM_GET_SREGS = 0x8138AE83;
    private static final long KVM_SET_SREGS = 0x4138AE84;
    private static final long KVM_SET_REGS = 0x4090AE82;
    private static final int KVM_API_VERSION = 12;
    private static final int KVM_EXIT_IO = 2;
    private static final int KVM_EXIT_HLT = 5;
    private static final int SREGS_SIZE = 312;
    private static final int REGS_SIZE = 144;
    private static final long REGS_RIP = 128;
    private static final long REGS_RFLAGS = 136;
    private static final long SEGMENT_SELECTOR = 12; // cs is the first kvm_segment in kvm_sregs
    private static final long RUN_EXIT_REASON = 8;
    private static final long RUN_IO_SIZE = 33;
    private static final long RUN_IO_PORT = 34;
    private static final long RUN_IO_DATA_OFFSET = 40;

    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int PROT_READ_WRITE = 0x3;
    private static final int MAP_SHARED = 0x1;
    private static final int MAP_ANONYMOUS = 0x20;

    private static final long GUEST_MEM_SIZE = 0x10000; // 64 KiB, page aligned as KVM demands
    private static final long CODE_ADDR = 0x1000;
    private static final byte[] CODE = {(byte) 0xB0, 42, (byte) 0xE6, 0x10, (byte) 0xF4}; // mov al,42; out 0x10,al; hlt
    private static final int PORT = 0x10;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final MethodHandle OPEN = downcall("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
    // ioctl is variadic: the third argument is passed as a variadic long (an int or a pointer).
    private static final MethodHandle IOCTL = downcall("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), CAPTURE_ERRNO, Linker.Option.firstVariadicArg(2));
    private static final MethodHandle MMAP = downcall("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), CAPTURE_ERRNO);

    private static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, options);
    }

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment callState = arena.allocate(CALL_STATE);

    private int ioctl(int fd, long request, long arg, String what) throws Throwable {
        int rc = (int) IOCTL.invokeExact(callState, fd, request, arg);
        if (rc < 0) {
            throw new IllegalStateException(what + " failed: errno " + (int) ERRNO.get(callState, 0L));
        }
        return rc;
    }

    private MemorySegment mmap(long size, int flags, int fd, String what) throws Throwable {
        MemorySegment p = (MemorySegment) MMAP.invokeExact(callState, MemorySegment.NULL, size, PROT_READ_WRITE, flags, fd, 0L);
        if (p.address() == -1L) {
            throw new IllegalStateException("mmap " + what + " failed: errno " + (int) ERRNO.get(callState, 0L));
        }
        return p.reinterpret(size);
    }

    private void run() throws Throwable {
        int kvm = (int) OPEN.invokeExact(callState, arena.allocateFrom("/dev/kvm"), O_RDWR | O_CLOEXEC);
        if (kvm < 0) {
            throw new IllegalStateException("open /dev/kvm failed: errno " + (int) ERRNO.get(callState, 0L));
        }
        int api = ioctl(kvm, KVM_GET_API_VERSION, 0, "KVM_GET_API_VERSION");
        check(api == KVM_API_VERSION, "KVM_GET_API_VERSION is " + api + ", expected " + KVM_API_VERSION);
        System.out.println("KVM_GET_API_VERSION = " + api);

        int vm = ioctl(kvm, KVM_CREATE_VM, 0, "KVM_CREATE_VM");
        MemorySegment guest = mmap(GUEST_MEM_SIZE, MAP_SHARED | MAP_ANONYMOUS, -1, "guest memory");
        MemorySegment.copy(MemorySegment.ofArray(CODE), 0, guest, CODE_ADDR, CODE.length);
        MemorySegment region = arena.allocate(32, 8); // struct kvm_userspace_memory_region
        region.set(JAVA_INT, 0, 0);                  // slot
        region.set(JAVA_INT, 4, 0);                  // flags
        region.set(JAVA_LONG, 8, 0);                 // guest_phys_addr
        region.set(JAVA_LONG, 16, GUEST_MEM_SIZE);   // memory_size
        region.set(JAVA_LONG, 24, guest.address());  // userspace_addr
        ioctl(vm, KVM_SET_USER_MEMORY_REGION, region.address(), "KVM_SET_USER_MEMORY_REGION");

        int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0, "KVM_CREATE_VCPU");
        int runSize = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0, "KVM_GET_VCPU_MMAP_SIZE");
        MemorySegment run = mmap(runSize, MAP_SHARED, vcpu, "kvm_run");

        MemorySegment sregs = arena.allocate(SREGS_SIZE, 8);
        ioctl(vcpu, KVM_GET_SREGS, sregs.address(), "KVM_GET_SREGS");
        sregs.set(JAVA_LONG, 0, 0);                  // cs.base: run from physical 0 + rip
        sregs.set(JAVA_SHORT, SEGMENT_SELECTOR, (short) 0);
        ioctl(vcpu, KVM_SET_SREGS, sregs.address(), "KVM_SET_SREGS");
        MemorySegment regs = arena.allocate(REGS_SIZE, 8);
        regs.set(JAVA_LONG, REGS_RIP, CODE_ADDR);
        regs.set(JAVA_LONG, REGS_RFLAGS, 0x2);       // bit 1 is reserved and must be set
        ioctl(vcpu, KVM_SET_REGS, regs.address(), "KVM_SET_REGS");

        ioctl(vcpu, KVM_RUN, 0, "KVM_RUN");
        int reason = run.get(JAVA_INT, RUN_EXIT_REASON);
        check(reason == KVM_EXIT_IO, "first exit is " + reason + ", expected KVM_EXIT_IO (" + KVM_EXIT_IO + ")");
        int port = Short.toUnsignedInt(run.get(JAVA_SHORT, RUN_IO_PORT));
        int size = run.get(JAVA_BYTE, RUN_IO_SIZE);
        int value = Byte.toUnsignedInt(run.get(JAVA_BYTE, run.get(JAVA_LONG, RUN_IO_DATA_OFFSET)));
        check(port == PORT && size == 1 && value == 42,
                "OUT went to port 0x" + Integer.toHexString(port) + " size " + size + " value " + value + ", expected 0x10/1/42");
        System.out.println("KVM_EXIT_IO port 0x10 value 42");
        ioctl(vcpu, KVM_RUN, 0, "KVM_RUN");
        reason = run.get(JAVA_INT, RUN_EXIT_REASON);
        check(reason == KVM_EXIT_HLT, "second exit is " + reason + ", expected KVM_EXIT_HLT (" + KVM_EXIT_HLT + ")");
        System.out.println("KVM_EXIT_HLT");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    public static void main(String[] args) throws Throwable {
        long t0 = System.nanoTime();
        try {
            new KvmSmoke().run();
        } catch (IllegalStateException e) {
            System.err.println("KvmSmoke: FAILED: " + e.getMessage());
            System.exit(1);
        }
        System.out.printf("OK (KVM part took %.1f ms)%n", (System.nanoTime() - t0) / 1e6);
    }
}
