package io.giantvm.engine.guest;

import io.giantvm.engine.memory.GuestLayout;

/**
 * Addresses, ports, vectors and exit statuses of the bundled test guest's contract
 * ({@code engine/src/main/guest/CONTRACT.md}); the guest's side is {@code engine/src/main/guest/layout.h}.
 * Addresses and ports the engine also uses come from {@link GuestLayout}, the single source.
 */
public final class GuestAbi {
    private GuestAbi() {}

    /** Class-path resource of the image built by {@code make} during the Maven build. */
    public static final String IMAGE_RESOURCE = "/guest/giantvm-guest.bin";

    // Guest-physical memory.
    public static final long MULTIBOOT_INFO_ADDRESS = GuestLayout.MULTIBOOT_INFO;
    public static final long COMMAND_LINE_ADDRESS = GuestLayout.COMMAND_LINE;
    public static final int COMMAND_LINE_MAX_BYTES = GuestLayout.COMMAND_LINE_MAX;
    public static final long TRAMPOLINE_ADDRESS = GuestLayout.AP_TRAMPOLINE;
    public static final int SIPI_VECTOR = 0x08;
    public static final long LOAD_ADDRESS = GuestLayout.IMAGE_BASE;
    /** The image including its bss ends below this address (1 MiB + 2 MiB). */
    public static final long IMAGE_MAX_END = 0x30_0000;
    public static final long DATA_BASE = GuestLayout.WORKLOAD_BASE;
    public static final long MIN_RAM_BYTES = GuestLayout.MIN_RAM;
    public static final long LAPIC_BASE = GuestLayout.LOCAL_APIC_BASE;
    /** The guest's LAPIC timer counts at this rate before its divider (as KVM's and QEMU's do). */
    public static final long LAPIC_TIMER_HZ = 1_000_000_000L;

    // Interrupt vectors the guest handles (anything else raises an exception in the guest).
    public static final int VECTOR_TIMER = 0x20;
    public static final int VECTOR_KICK = 0x40;
    public static final int VECTOR_SPURIOUS = 0xFF;

    // I/O ports.
    public static final int PORT_UART = GuestLayout.UART_COM1;
    public static final int PORT_DEBUG_EXIT = GuestLayout.DEBUG_EXIT;
    public static final int PORT_BENCH = GuestLayout.BENCH;

    // Guest exit statuses (value written to PORT_DEBUG_EXIT; QEMU's isa-debug-exit exits with (v << 1) | 1).
    public static final int EXIT_OK = 0;
    public static final int EXIT_BAD_COMMAND_LINE = 2;
    public static final int EXIT_EXCEPTION = 3;
    public static final int EXIT_AP_DID_NOT_START = 4;
    public static final int EXIT_SELF_CHECK_FAILED = 5;

    public static final int MAX_VCPUS = 64;

    /**
     * Test hooks, appended to a kernel command line: after all vCPUs are up the BSP executes ud2 (the
     * guest reports the exception and exits with status 3), or wipes its IDT first so the ud2 escalates
     * to a triple fault that the VMM itself has to report.
     */
    public static final String CRASH_WITH_EXCEPTION = "crash=exception";
    public static final String CRASH_WITH_TRIPLE_FAULT = "crash=triple";

    /** A human description of a guest exit status, for error messages. */
    /**
     * The bundled guest's command line as the engine hands it over: with the TSC rate appended, which only
     * the engine knows (KVM_GET_TSC_KHZ) and which the guest needs to turn a time window into TSC cycles.
     */
    public static String withTscKhz(String commandLine, long tscKhz) {
        return commandLine + " tsc_khz=" + tscKhz;
    }

    public static String describeExitStatus(int status) {
        return switch (status) {
            case EXIT_OK -> "success";
            case EXIT_BAD_COMMAND_LINE -> "bad command line or too little memory";
            case EXIT_EXCEPTION -> "CPU exception in the guest";
            case EXIT_AP_DID_NOT_START -> "an application processor did not start";
            case EXIT_SELF_CHECK_FAILED -> "the guest's self-check failed";
            default -> "unknown status " + status;
        };
    }
}
