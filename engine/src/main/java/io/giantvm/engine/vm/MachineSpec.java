package io.giantvm.engine.vm;

import io.giantvm.engine.boot.linux.LinuxGuest;
import io.giantvm.engine.memory.GuestLayout;
import io.giantvm.engine.numa.NumaTopology;

import java.io.OutputStream;
import java.util.Optional;

/**
 * What one single-node VM is made of.
 *
 * @param vcpus        number of vCPUs (vCPU 0 boots, the others wait for SIPI; APIC ids 0..vcpus-1 unless
 *                     {@code numa} spaces them a package per domain, {@code cpu/ApicIdMap})
 * @param memoryBytes  guest RAM, a multiple of 2 MiB
 * @param guestImage   a multiboot v1 flat image (the bundled guest)
 * @param commandLine  the guest's command line
 * @param console      where the guest's UART output goes
 * @param linux        a Linux kernel and initrd to boot instead of {@code guestImage}, or null
 * @param numa         proximity domains a Linux guest's ACPI tables declare; on one engine only as a test hook
 *                     ({@code --test-only-numa-nodes}), empty otherwise
 */
public record MachineSpec(int vcpus, long memoryBytes, byte[] guestImage, String commandLine, OutputStream console,
                          LinuxGuest linux, Optional<NumaTopology> numa) {
    public MachineSpec(int vcpus, long memoryBytes, byte[] guestImage, String commandLine, OutputStream console,
                       LinuxGuest linux) {
        this(vcpus, memoryBytes, guestImage, commandLine, console, linux, Optional.empty());
    }

    /** The bundled guest (or another multiboot image). */
    public MachineSpec(int vcpus, long memoryBytes, byte[] guestImage, String commandLine, OutputStream console) {
        this(vcpus, memoryBytes, guestImage, commandLine, console, null);
    }

    public MachineSpec {
        if (vcpus < 1) {
            throw new VmConfigurationException("a VM needs at least 1 vCPU, got " + vcpus);
        }
        if (memoryBytes < GuestLayout.MIN_RAM) {
            throw new VmConfigurationException("memory %d MiB is too small for the guest: at least %d MiB"
                    .formatted(memoryBytes / GuestLayout.MiB, GuestLayout.MIN_RAM / GuestLayout.MiB));
        }
        if (memoryBytes > GuestLayout.MAX_RAM) {
            throw new VmConfigurationException("memory %d MiB exceeds the %d MiB one node can map below the APIC"
                    .formatted(memoryBytes / GuestLayout.MiB, GuestLayout.MAX_RAM / GuestLayout.MiB));
        }
        if (memoryBytes % (2 * GuestLayout.MiB) != 0) {
            throw new VmConfigurationException("memory must be a multiple of 2 MiB, got " + memoryBytes + " bytes");
        }
    }
}
