package io.giantvm.engine.guest;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** One boot of the guest under QEMU TCG, with the console output and the report lines read back. */
record QemuGuestRun(int qemuExitCode, String console, List<ReportRecord> reports, Duration elapsed) {

    static final String QEMU = "qemu-system-x86_64";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    static QemuGuestRun boot(Path image, int cpus, String commandLine) throws IOException, InterruptedException {
        List<String> cmd = List.of(QEMU, "-accel", "tcg,thread=multi", "-cpu", "max", "-smp", Integer.toString(cpus),
                "-m", "128M", "-nodefaults", "-nographic", "-no-reboot", "-display", "none", "-monitor", "none",
                "-serial", "stdio", "-kernel", image.toString(), "-append", commandLine,
                "-device", "isa-debug-exit,iobase=0x" + Integer.toHexString(GuestAbi.PORT_DEBUG_EXIT) + ",iosize=0x04");
        HostCommand r = HostCommand.run(cmd, TIMEOUT);
        List<ReportRecord> reports = r.output().lines().map(ReportLine::parse).flatMap(Optional::stream).toList();
        return new QemuGuestRun(r.exitCode(), r.output(), reports, r.elapsed());
    }

    /** The guest's debug-exit status: QEMU exits with (status << 1) | 1; -1 if the guest never wrote one. */
    int guestStatus() {
        return (qemuExitCode & 1) == 1 ? qemuExitCode >> 1 : -1;
    }

    List<ReportRecord> vcpuReports() {
        return reports.stream().filter(r -> r.kind() == ReportKind.VCPU).toList();
    }

    ReportRecord summary() {
        return reports.stream().filter(r -> r.kind() == ReportKind.SUMMARY).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no summary report in:\n" + console));
    }
}
