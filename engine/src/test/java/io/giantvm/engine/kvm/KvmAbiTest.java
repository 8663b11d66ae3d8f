package io.giantvm.engine.kvm;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.lang.foreign.MemoryLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks every ioctl number, structure size and field offset the engine declares against the
 * kernel's own headers, compiled by gcc on this machine. A wrong constant here would make KVM
 * read garbage, so this is checked rather than trusted.
 */
class KvmAbiTest {
    private static final Map<String, Long> C = new HashMap<>();

    @BeforeAll
    static void compileAndRunTheHeaderProbe(@TempDir Path dir) throws Exception {
        Path src = dir.resolve("kvm-abi.c");
        try (InputStream in = KvmAbiTest.class.getResourceAsStream("/kvm/kvm-abi.c")) {
            Files.write(src, in.readAllBytes());
        }
        Path exe = dir.resolve("kvm-abi");
        run(dir, "gcc", "-O0", "-o", exe.toString(), src.toString());
        String out = run(dir, exe.toString());
        for (String line : out.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 3) {
                C.put(f[0] + " " + f[1], Long.parseUnsignedLong(f[2]));
            }
        }
        assertThat(C).as("header probe output").hasSizeGreaterThan(60);
    }

    @Test
    void ioctlNumbersMatchTheKernelHeaders() {
        assertThat(KvmIoctl.GET_API_VERSION).isEqualTo(c("ioctl KVM_GET_API_VERSION"));
        assertThat(KvmIoctl.CREATE_VM).isEqualTo(c("ioctl KVM_CREATE_VM"));
        assertThat(KvmIoctl.CHECK_EXTENSION).isEqualTo(c("ioctl KVM_CHECK_EXTENSION"));
        assertThat(KvmIoctl.GET_VCPU_MMAP_SIZE).isEqualTo(c("ioctl KVM_GET_VCPU_MMAP_SIZE"));
        assertThat(KvmIoctl.GET_SUPPORTED_CPUID).isEqualTo(c("ioctl KVM_GET_SUPPORTED_CPUID"));
        assertThat(KvmIoctl.CREATE_VCPU).isEqualTo(c("ioctl KVM_CREATE_VCPU"));
        assertThat(KvmIoctl.SET_USER_MEMORY_REGION).isEqualTo(c("ioctl KVM_SET_USER_MEMORY_REGION"));
        assertThat(KvmIoctl.SET_TSS_ADDR).isEqualTo(c("ioctl KVM_SET_TSS_ADDR"));
        assertThat(KvmIoctl.SET_IDENTITY_MAP_ADDR).isEqualTo(c("ioctl KVM_SET_IDENTITY_MAP_ADDR"));
        assertThat(KvmIoctl.RUN).isEqualTo(c("ioctl KVM_RUN"));
        assertThat(KvmIoctl.GET_REGS).isEqualTo(c("ioctl KVM_GET_REGS"));
        assertThat(KvmIoctl.SET_REGS).isEqualTo(c("ioctl KVM_SET_REGS"));
        assertThat(KvmIoctl.GET_SREGS).isEqualTo(c("ioctl KVM_GET_SREGS"));
        assertThat(KvmIoctl.SET_SREGS).isEqualTo(c("ioctl KVM_SET_SREGS"));
        assertThat(KvmIoctl.INTERRUPT).isEqualTo(c("ioctl KVM_INTERRUPT"));
        assertThat(KvmIoctl.GET_MSRS).isEqualTo(c("ioctl KVM_GET_MSRS"));
        assertThat(KvmIoctl.SET_MSRS).isEqualTo(c("ioctl KVM_SET_MSRS"));
        assertThat(KvmIoctl.SET_SIGNAL_MASK).isEqualTo(c("ioctl KVM_SET_SIGNAL_MASK"));
        assertThat(KvmIoctl.GET_FPU).isEqualTo(c("ioctl KVM_GET_FPU"));
        assertThat(KvmIoctl.SET_FPU).isEqualTo(c("ioctl KVM_SET_FPU"));
        assertThat(KvmIoctl.SET_CPUID2).isEqualTo(c("ioctl KVM_SET_CPUID2"));
        assertThat(KvmIoctl.GET_TSC_KHZ).isEqualTo(c("ioctl KVM_GET_TSC_KHZ"));
        assertThat(KvmIoctl.SET_TSC_KHZ).isEqualTo(c("ioctl KVM_SET_TSC_KHZ"));
        assertThat(KvmIoctl.NMI).isEqualTo(c("ioctl KVM_NMI"));
        assertThat(KvmIoctl.SET_CLOCK).isEqualTo(c("ioctl KVM_SET_CLOCK"));
        assertThat(KvmIoctl.GET_CLOCK).isEqualTo(c("ioctl KVM_GET_CLOCK"));
        assertThat((long) KvmIoctl.CAP_NR_VCPUS).isEqualTo(c("const KVM_CAP_NR_VCPUS"));
        assertThat((long) KvmIoctl.CAP_MAX_VCPUS).isEqualTo(c("const KVM_CAP_MAX_VCPUS"));
        assertThat((long) KvmIoctl.CAP_IMMEDIATE_EXIT).isEqualTo(c("const KVM_CAP_IMMEDIATE_EXIT"));
        assertThat((long) KvmIoctl.API_VERSION).isEqualTo(c("const KVM_API_VERSION"));
    }

    @Test
    void structureSizesMatch() {
        assertThat(KvmLayouts.USERSPACE_MEMORY_REGION.byteSize()).isEqualTo(c("size kvm_userspace_memory_region"));
        assertThat(KvmLayouts.REGS.byteSize()).isEqualTo(c("size kvm_regs"));
        assertThat(KvmLayouts.SEGMENT.byteSize()).isEqualTo(c("size kvm_segment"));
        assertThat(KvmLayouts.DTABLE.byteSize()).isEqualTo(c("size kvm_dtable"));
        assertThat(KvmLayouts.SREGS.byteSize()).isEqualTo(c("size kvm_sregs"));
        assertThat(KvmLayouts.FPU.byteSize()).isEqualTo(c("size kvm_fpu"));
        assertThat(KvmLayouts.CPUID_ENTRY2.byteSize()).isEqualTo(c("size kvm_cpuid_entry2"));
        assertThat(KvmLayouts.CPUID2_HEADER.byteSize()).isEqualTo(c("size kvm_cpuid2"));
        assertThat(KvmLayouts.MSR_ENTRY.byteSize()).isEqualTo(c("size kvm_msr_entry"));
        assertThat(KvmLayouts.MSRS_HEADER.byteSize()).isEqualTo(c("size kvm_msrs"));
        assertThat(KvmLayouts.INTERRUPT.byteSize()).isEqualTo(c("size kvm_interrupt"));
        assertThat(KvmLayouts.CLOCK_DATA.byteSize()).isEqualTo(c("size kvm_clock_data"));
        assertThat(KvmLayouts.SIGNAL_MASK_HEADER.byteSize()).isEqualTo(c("size kvm_signal_mask"));
    }

    @Test
    void fieldOffsetsMatch() {
        C.forEach((key, value) -> {
            if (!key.startsWith("offset ")) {
                return;
            }
            String[] typeAndPath = key.substring("offset ".length()).split("\\.", 2);
            MemoryLayout layout = switch (typeAndPath[0]) {
                case "kvm_userspace_memory_region" -> KvmLayouts.USERSPACE_MEMORY_REGION;
                case "kvm_regs" -> KvmLayouts.REGS;
                case "kvm_segment" -> KvmLayouts.SEGMENT;
                case "kvm_sregs" -> KvmLayouts.SREGS;
                case "kvm_fpu" -> KvmLayouts.FPU;
                case "kvm_cpuid_entry2" -> KvmLayouts.CPUID_ENTRY2;
                case "kvm_run" -> KvmLayouts.RUN;
                case "kvm_clock_data" -> KvmLayouts.CLOCK_DATA;
                default -> throw new AssertionError("no layout for " + typeAndPath[0]);
            };
            assertThat(KvmLayouts.offset(layout, typeAndPath[1].split("\\.")))
                    .as(key).isEqualTo(value);
        });
    }

    @Test
    void exitReasonsMatch() {
        assertThat((long) ExitReason.IO).isEqualTo(c("exit KVM_EXIT_IO"));
        assertThat((long) ExitReason.HLT).isEqualTo(c("exit KVM_EXIT_HLT"));
        assertThat((long) ExitReason.MMIO).isEqualTo(c("exit KVM_EXIT_MMIO"));
        assertThat((long) ExitReason.IRQ_WINDOW_OPEN).isEqualTo(c("exit KVM_EXIT_IRQ_WINDOW_OPEN"));
        assertThat((long) ExitReason.SHUTDOWN).isEqualTo(c("exit KVM_EXIT_SHUTDOWN"));
        assertThat((long) ExitReason.FAIL_ENTRY).isEqualTo(c("exit KVM_EXIT_FAIL_ENTRY"));
        assertThat((long) ExitReason.INTR).isEqualTo(c("exit KVM_EXIT_INTR"));
        assertThat((long) ExitReason.INTERNAL_ERROR).isEqualTo(c("exit KVM_EXIT_INTERNAL_ERROR"));
        assertThat((long) ExitReason.SYSTEM_EVENT).isEqualTo(c("exit KVM_EXIT_SYSTEM_EVENT"));
        assertThat((long) ExitReason.EXCEPTION).isEqualTo(c("exit KVM_EXIT_EXCEPTION"));
    }

    private static long c(String key) {
        assertThat(C).as("header probe printed " + key).containsKey(key);
        return C.get(key);
    }

    private static String run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", cmd) + " finished").isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + " output:\n" + out).isZero();
        return out;
    }
}
