package io.giantvm.engine.kvm;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What kind of KVM this host offers. PVM ("pagetable-based virtual machine", module kvm_pvm) runs
 * without hardware virtualization: guest ring 3 runs natively but guest ring 0 is emulated, about
 * 1000 times slower, and only kernels built as PVM guests boot. A stock Linux kernel cannot run there.
 *
 * <p>Detection: the host kernel lists every loaded module under /sys/module, and PVM's KVM backend is
 * the module kvm_pvm (kvm_intel / kvm_amd are the hardware ones). A module directory is stable ABI, needs
 * no privilege and no open /dev/kvm, and is unambiguous: both backends cannot be in use at once.
 */
public enum HostKvmKind {
    HARDWARE,
    PVM;

    static final Path PVM_MODULE = Path.of("/sys/module/kvm_pvm");

    public static HostKvmKind detect() {
        return detect(PVM_MODULE);
    }

    static HostKvmKind detect(Path pvmModule) {
        return Files.isDirectory(pvmModule) ? PVM : HARDWARE;
    }
}
