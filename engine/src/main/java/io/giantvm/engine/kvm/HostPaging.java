package io.giantvm.engine.kvm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How this host's KVM translates guest-physical memory, as far as it matters to a guest whose page tables are
 * shared by vCPUs on several engine nodes (Linux's kernel page tables are; the bundled test guest declares its
 * own static, so it is not affected).
 *
 * <p>Why it matters: with AMD nested paging, and with Intel EPT while EPT keeps accessed/dirty bits, the CPU's page
 * walker accesses every guest page-table page it reads as a write for the second-level translation. To the DSM a
 * walk is then a write fault, so each TLB miss on one node takes the walked page-table pages away from every
 * other node. A 2-node Linux under the nested harness moved {@code level3_kernel_pgt} and {@code init_top_pgt}
 * about 250,000 times each and needed 35 minutes to reach {@code /init}. Intel EPT without A/D bits reads them,
 * and they stay shared. Shadow paging (EPT or NPT off, and PVM) reads them too, but KVM then keeps their
 * contents in shadow page tables that it does not drop when the DSM replaces a page; whether that stays coherent
 * across nodes is not known (README, "Linux across nodes").
 *
 * <p>Detection: the vendor module's parameters under /sys/module, world-readable and stable ABI.
 */
public enum HostPaging {
    /** Walks write page-table pages; {@link #advice} says what, if anything, the host's owner can change. */
    NESTED_WALKS_WRITE,
    /** Intel EPT without accessed/dirty bits: walks read page-table pages. */
    NESTED_WALKS_READ,
    /** KVM shadows the guest's page tables (EPT/NPT off, or PVM). */
    SHADOW,
    /** No vendor module to read (not Linux, or no KVM loaded). */
    UNKNOWN;

    static final Path SYS_MODULE = Path.of("/sys/module");

    public static HostPaging detect() {
        return detect(SYS_MODULE);
    }

    static HostPaging detect(Path sysModule) {
        if (HostKvmKind.detect(sysModule.resolve("kvm_pvm")) == HostKvmKind.PVM) {
            return SHADOW; // PVM shadows the guest's page tables
        }
        Optional<Boolean> ept = flag(sysModule, "kvm_intel", "ept");
        if (ept.isPresent()) {
            if (!ept.get()) {
                return SHADOW;
            }
            return flag(sysModule, "kvm_intel", "eptad").orElse(true) ? NESTED_WALKS_WRITE : NESTED_WALKS_READ;
        }
        return flag(sysModule, "kvm_amd", "npt").map(npt -> npt ? NESTED_WALKS_WRITE : SHADOW).orElse(UNKNOWN);
    }

    /** The vendor module this host loaded, for the message: kvm_intel, kvm_amd, kvm_pvm or none. */
    static String module(Path sysModule) {
        for (String m : new String[] {"kvm_pvm", "kvm_intel", "kvm_amd"}) {
            if (Files.isDirectory(sysModule.resolve(m))) {
                return m;
            }
        }
        return "no KVM vendor module";
    }

    /**
     * A line for the start of a VM whose vCPUs span nodes, saying what this host's paging does to shared page tables
     * and what can be done about it; empty where there is nothing to say.
     */
    public Optional<String> advice() {
        return advice(SYS_MODULE);
    }

    Optional<String> advice(Path sysModule) {
        String module = module(sysModule);
        return switch (this) {
            case NESTED_WALKS_WRITE -> Optional.of("this host's KVM (" + module + ") uses two-dimensional paging whose walks write every"
                    + " guest page-table page they read, so page tables that vCPUs on several nodes use (Linux's kernel ones) move"
                    + " between the nodes on TLB misses and slow the guest down"
                    + (module.equals("kvm_intel") ? "; loading kvm_intel with eptad=0 makes walks read them" : "; AMD has no setting that avoids it")
                    + " (README, 'Linux across nodes')");
            case SHADOW -> Optional.of("this host's KVM (" + module + ") shadows the guest's page tables; its shadow copies are not dropped"
                    + " when another node changes a page-table page, and whether a guest spanning nodes stays coherent that way is"
                    + " not known (README, 'Linux across nodes')");
            case NESTED_WALKS_READ, UNKNOWN -> Optional.empty();
        };
    }

    /** A boolean module parameter (Y/N, or 1/0 in older kernels); empty if the module or parameter is absent. */
    private static Optional<Boolean> flag(Path sysModule, String module, String parameter) {
        Path file = sysModule.resolve(module).resolve("parameters").resolve(parameter);
        try {
            String v = Files.readString(file).strip();
            return Optional.of(v.equals("Y") || v.equals("1"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
