package io.giantvm.engine.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A machine that has run and closed leaves nothing behind in the process: no file descriptor (KVM, VM, vCPU), no
 * kvm_run mapping, no vCPU or timer thread. What a long-lived {@code giantvm node --stay-up} relies on when it boots
 * the next guest in the same process.
 */
class MachineCloseIT {
    @BeforeEach
    void needsKvm() {
        KvmRequirement.assumeKvm();
    }

    @Test
    void twoMachinesInARowLeaveNoDescriptorMappingOrThreadBehind() throws Exception {
        Leftovers before = Leftovers.now();
        for (int round = 1; round <= 2; round++) {
            GuestRuns.Result r = GuestRuns.run(2, "compute", Map.of("iterations", "100000"));
            assertThat(r.results().outcome().failure()).as(r.describe()).isNull();
            Leftovers after = Leftovers.now();
            assertThat(after.kvmDescriptors()).as("KVM descriptors open after machine %d closed", round)
                    .isEqualTo(before.kvmDescriptors());
            assertThat(after.vcpuMappings()).as("kvm_run mappings after machine %d closed", round).isEmpty();
            assertThat(after.engineThreads()).as("engine threads alive after machine %d closed", round).isEmpty();
        }
    }

    /** What a machine could leak, read from /proc and the JVM's threads. */
    private record Leftovers(List<String> kvmDescriptors, List<String> vcpuMappings, List<String> engineThreads) {
        static Leftovers now() throws IOException {
            List<String> fds;
            try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
                fds = s.map(Leftovers::target).filter(t -> t.contains("kvm")).sorted().toList();
            }
            List<String> maps = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                    .filter(l -> l.contains("kvm-vcpu")).toList();
            List<String> threads = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(n -> n.startsWith("vcpu-") || n.contains("apic-timer")).sorted().toList();
            return new Leftovers(fds, maps, threads);
        }

        private static String target(Path fd) {
            try {
                return Files.readSymbolicLink(fd).toString();
            } catch (IOException e) {
                return ""; // closed while listing (the listing's own descriptor)
            }
        }
    }
}
