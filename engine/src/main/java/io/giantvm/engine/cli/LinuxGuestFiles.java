package io.giantvm.engine.cli;

import io.giantvm.engine.boot.linux.BzImage;
import io.giantvm.engine.boot.linux.InvalidKernelException;
import io.giantvm.engine.boot.linux.LinuxGuest;
import io.giantvm.engine.boot.linux.LinuxLoader;
import io.giantvm.engine.config.GuestSpec;
import io.giantvm.engine.kvm.HostKvmKind;
import io.giantvm.engine.linux.DefaultGuestUnavailableException;
import io.giantvm.engine.linux.DefaultLinuxGuest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@link GuestSpec} made real: the kernel and initrd read (the default guest built first if need be), the
 * command line composed, and whether it all fits the VM's memory checked; bad files and a PVM host are bad input
 * ({@link UsageException}). What {@code run --guest linux} and {@code node} with a {@code guest} both use.
 *
 * @param tests the sysbench tests the check expects results of (none for a user's kernel or a shell)
 */
record LinuxGuestFiles(LinuxGuest guest, Path kernelPath, String commandLine, List<String> tests) {

    /** @param bootRangeEnd where the kernel and initrd must fit: all of RAM, or node 0's home under NUMA */
    static LinuxGuestFiles prepare(GuestSpec g, long memory, long bootRangeEnd, boolean shell) {
        try {
            if (g.image() == GuestSpec.Image.KERNEL) { // bad files are bad input whatever the host: say so first
                Path kernel = Path.of(g.kernel().orElseThrow());
                String commandLine = g.append().orElse("console=ttyS0");
                LinuxGuest guest = read(kernel, g.initrd().map(Path::of).orElse(null), memory, bootRangeEnd, commandLine);
                refuseOnPvm();
                return new LinuxGuestFiles(guest, kernel, commandLine, List.of());
            }
            refuseOnPvm(); // before a first build downloads anything
            DefaultLinuxGuest.GuestFiles files = DefaultLinuxGuest.ensureBuilt();
            String commandLine = DefaultLinuxGuest.commandLine(g.sysbench(), g.seconds(), shell, g.append().orElse(null));
            return new LinuxGuestFiles(read(files.kernel(), files.initrd(), memory, bootRangeEnd, commandLine), files.kernel(), commandLine,
                    shell ? List.of() : g.sysbench());
        } catch (DefaultGuestUnavailableException | InvalidKernelException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static void refuseOnPvm() {
        if (HostKvmKind.detect() == HostKvmKind.PVM) {
            throw new UsageException("this host's KVM is PVM (kvm_pvm: guest kernel mode is emulated), where a Linux"
                    + " kernel cannot run; use a host with hardware virtualization, or e2e/qemu-kvm/run.sh");
        }
    }

    private static LinuxGuest read(Path kernelPath, Path initrdPath, long memory, long bootRangeEnd, String commandLine) {
        BzImage kernel = BzImage.read(kernelPath);
        byte[] initrd = initrdPath == null ? new byte[0] : readInitrd(initrdPath);
        LinuxLoader.checkFits(memory, bootRangeEnd, kernel, initrd.length, commandLine);
        return new LinuxGuest(kernel, initrd);
    }

    private static byte[] readInitrd(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new InvalidKernelException("initrd " + path + " does not exist");
        } catch (IOException e) {
            throw new InvalidKernelException("cannot read initrd " + path + ": " + e.getMessage());
        }
    }
}
