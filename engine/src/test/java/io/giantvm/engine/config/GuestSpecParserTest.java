package io.giantvm.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The VM description's {@code guest} section: a Linux kernel to boot instead of the bundled test guest. */
class GuestSpecParserTest {
    private static final String WITHOUT_WORKLOAD = VmDescriptionParserTest.VALID
            .replaceFirst("(?s)workload:.*?nodes:", "nodes:");

    private static VmDescription withGuest(String guest) {
        return VmDescriptionParser.parse(WITHOUT_WORKLOAD.replace("nodes:\n", guest + "nodes:\n"), "vm.yaml");
    }

    @Test
    void bundledLinuxTakesItsDefaults() {
        GuestSpec g = withGuest("guest:\n  kind: bundled-linux\n").guest().orElseThrow();
        assertThat(g.image()).isEqualTo(GuestSpec.Image.BUNDLED_LINUX);
        assertThat(g.sysbench()).containsExactly("cpu", "memory", "mutex", "threads");
        assertThat(g.seconds()).isEqualTo(5);
        assertThat(g.kernel()).isEmpty();
        assertThat(g.append()).isEmpty();
    }

    @Test
    void bundledLinuxTakesTestsAsAListOrACommaSeparatedString() {
        assertThat(withGuest("guest:\n  kind: bundled-linux\n  sysbench: [mutex, cpu]\n  time: 1\n").guest().orElseThrow())
                .isEqualTo(GuestSpec.bundledLinux(List.of("mutex", "cpu"), 1, Optional.empty()));
        assertThat(withGuest("guest:\n  kind: bundled-linux\n  sysbench: \"cpu, threads\"\n  append: quiet\n").guest().orElseThrow())
                .isEqualTo(GuestSpec.bundledLinux(List.of("cpu", "threads"), 5, Optional.of("quiet")));
    }

    @Test
    void aUsersKernelNamesItsFiles() {
        GuestSpec g = withGuest("guest:\n  kind: kernel\n  kernel: /images/bzImage\n  initrd: /images/initrd.img\n"
                + "  append: \"console=ttyS0 root=/dev/ram0\"\n").guest().orElseThrow();
        assertThat(g.image()).isEqualTo(GuestSpec.Image.KERNEL);
        assertThat(g.kernel()).contains("/images/bzImage");
        assertThat(g.initrd()).contains("/images/initrd.img");
        assertThat(g.append()).contains("console=ttyS0 root=/dev/ram0");
        assertThat(g.sysbench()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            guest:\\n  kind: windows\\n | vm.yaml: guest.kind: 'windows' is not one of bundled-linux, kernel
            guest:\\n  kernel: /k\\n | vm.yaml: guest.kind: missing (required)
            guest:\\n  kind: kernel\\n | vm.yaml: guest.kernel: missing (required with kind: kernel)
            guest:\\n  kind: kernel\\n  kernel: /k\\n  time: 3\\n | vm.yaml: guest.time: drives the bundled Linux's /init
            guest:\\n  kind: bundled-linux\\n  kernel: /k\\n | vm.yaml: guest.kernel: goes with kind: kernel
            guest:\\n  kind: bundled-linux\\n  sysbench: [cpu, fileio]\\n | vm.yaml: guest.sysbench: 'fileio' is not one of cpu, memory, mutex, threads, memory-read-global, memory-write-local
            guest:\\n  kind: bundled-linux\\n  time: 0\\n | vm.yaml: guest.time: 0 is outside 1..3600 seconds
            guest:\\n  kind: bundled-linux\\n  shell: true\\n | vm.yaml: guest.shell: unknown key
            guest: bundled-linux\\n | vm.yaml: guest: expected a mapping
            """)
    void badGuestsAreRefusedInOneLineNamingTheKey(String guest, String expectedStart) {
        assertThatThrownBy(() -> withGuest(guest.replace("\\n", "\n")))
                .isInstanceOf(VmDescriptionException.class)
                .hasMessageStartingWith(expectedStart)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aGuestAndABundledWorkloadExcludeEachOther() {
        String both = VmDescriptionParserTest.VALID.replace("nodes:\n", "guest:\n  kind: bundled-linux\nnodes:\n");
        assertThatThrownBy(() -> VmDescriptionParser.parse(both, "vm.yaml"))
                .isInstanceOf(VmDescriptionException.class)
                .hasMessage("vm.yaml: workload: is the bundled test guest's; a VM with a guest (Linux) has none");
    }

    @Test
    void theWriterRoundTripsBothKindsOfGuest() {
        for (GuestSpec g : List.of(GuestSpec.bundledLinux(List.of("cpu", "mutex"), 2, Optional.of("quiet loglevel=3")),
                new GuestSpec(GuestSpec.Image.KERNEL, Optional.of("/a b/bzImage"), Optional.empty(), Optional.of("console=ttyS0"),
                        List.of(), 0))) {
            VmDescription d = VmDescriptionWriter.loopback("lx", 2, 1, 512L << 20, Optional.empty(), Optional.of(g), 7100, 7200);
            assertThat(d.guest()).contains(g);
            assertThat(VmDescriptionParser.parse(VmDescriptionWriter.toYaml(d), "again")).isEqualTo(d);
        }
    }
}
