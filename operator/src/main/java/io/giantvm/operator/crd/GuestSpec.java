package io.giantvm.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

/**
 * Which guest the VM boots: the engine's test guest (the default), the Linux that comes with the node image,
 * or the user's kernel and initrd from a volume. The rules below are the CRD's CEL rules; the operator checks
 * the same with the same messages ({@code SpecValidator}) for API servers that do not enforce them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.kind != 'kernel' || has(self.kernel)", message = GuestSpec.KERNEL_NEEDS_PATH)
@ValidationRule(value = "self.kind != 'kernel' || has(self.volume)", message = GuestSpec.KERNEL_NEEDS_VOLUME)
@ValidationRule(value = "self.kind == 'kernel' || !(has(self.kernel) || has(self.initrd) || has(self.volume))",
        message = GuestSpec.FILES_ONLY_FOR_KERNEL)
@ValidationRule(value = "self.kind != 'bundled-test' || !has(self.append)", message = GuestSpec.LINUX_ONLY)
@ValidationRule(value = "self.kind == 'bundled-linux' || !(has(self.sysbench) || has(self.time))",
        message = GuestSpec.BUNDLED_LINUX_ONLY)
public class GuestSpec {
    public static final String KERNEL_NEEDS_PATH =
            "guest.kind kernel needs guest.kernel: the path of the bzImage inside guest.volume";
    public static final String KERNEL_NEEDS_VOLUME =
            "guest.kind kernel needs guest.volume: the PersistentVolumeClaim holding the kernel and initrd";
    public static final String FILES_ONLY_FOR_KERNEL =
            "guest.kernel, guest.initrd and guest.volume are only for guest.kind kernel (the bundled guests come with the node image)";
    public static final String LINUX_ONLY =
            "guest.append is for Linux guests (kind bundled-linux or kernel); the bundled test guest runs spec.workload";
    public static final String BUNDLED_LINUX_ONLY =
            "guest.sysbench and guest.time drive the bundled Linux's /init (kind bundled-linux); with kind kernel put your orders in guest.append";
    public static final String TESTS_ONCE = "guest.sysbench names each test at most once";
    /**
     * A relative path whose every segment has a character other than '.': it cannot leave the volume
     * ("..") or name the volume itself. RE2 and java.util.regex read it alike (no look-ahead).
     */
    public static final String PATH_PATTERN = "^([^/]*[^/.][^/]*/)*[^/]*[^/.][^/]*$";
    /** A PersistentVolumeClaim's name: a DNS-1123 subdomain. */
    public static final String CLAIM_PATTERN = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";
    /** Well below x86 Linux's 2048-byte command line, which also holds the engine's own options. */
    public static final int MAX_APPEND = 1024;
    public static final int MAX_PATH = 1024;
    /** Kubernetes' limit for an object name that is a DNS-1123 subdomain. */
    public static final int MAX_CLAIM = 253;
    public static final int MAX_TIME_SECONDS = 3600;

    @Default("bundled-test")
    @JsonPropertyDescription("bundled-test: the engine's SMP test guest running spec.workload (the default). bundled-linux: the Linux kernel and initramfs of the node image, whose /init runs guest.sysbench and powers off. kernel: your kernel and initrd from guest.volume.")
    public GuestKind kind;

    @Size(max = MAX_PATH)
    @Pattern(PATH_PATTERN)
    @JsonPropertyDescription("kind kernel: the bzImage's path inside guest.volume (relative, e.g. boot/vmlinuz).")
    public String kernel;

    @Size(max = MAX_PATH)
    @Pattern(PATH_PATTERN)
    @JsonPropertyDescription("kind kernel: the initrd's path inside guest.volume (relative); optional.")
    public String initrd;

    @Size(max = MAX_APPEND)
    @JsonPropertyDescription("bundled-linux: added to the engine's kernel command line (serial console, /init's orders). kernel: the kernel's command line (without it: console=ttyS0).")
    public String append;

    @Size(max = MAX_CLAIM)
    @Pattern(CLAIM_PATTERN)
    @JsonPropertyDescription("kind kernel: the PersistentVolumeClaim holding the kernel and initrd, mounted read-only into every hypervisor pod (one pod per machine: the claim must allow ReadOnlyMany).")
    public String volume;

    @Size(min = 1, max = 4)
    @ValidationRule(value = "self.all(t, self.exists_one(u, u == t))", message = TESTS_ONCE)
    @JsonPropertyDescription("bundled-linux: the sysbench tests /init runs, in this order, each with one thread per vCPU: cpu, memory, mutex, threads (the default), memory-read-global, memory-write-local (4 KiB blocks, as in the TURC'19 paper).")
    public List<SysbenchTest> sysbench;

    @Min(1)
    @Max(MAX_TIME_SECONDS)
    @JsonPropertyDescription("bundled-linux: seconds each sysbench test runs (sysbench --time).")
    public Integer time;

    @Default("true")
    @JsonPropertyDescription("With more than one node, tell the guest each node is a NUMA node (ACPI SRAT and SLIT: its vCPUs and the memory range it is DSM home of), so Linux keeps memory and threads local. false: one flat machine, e.g. to compare.")
    public Boolean numa;

    public GuestKind kindOrDefault() {
        return kind == null ? GuestKind.BUNDLED_TEST : kind;
    }

    public boolean numaOrDefault() {
        return numa == null || numa;
    }
}
