package io.giantvm.operator.reconciler;

import io.giantvm.operator.crd.GiantVMSpec;
import io.giantvm.operator.crd.GuestKind;
import io.giantvm.operator.crd.GuestSpec;
import io.giantvm.operator.crd.SysbenchTest;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * spec.guest's schema and CEL rules, checked again by the operator with the CRD's own messages: an API
 * server that does not enforce CEL (or an older CRD) must not turn a bad guest into N crash-looping pods.
 */
final class GuestSpecRules {
    private static final Pattern PATH = Pattern.compile(GuestSpec.PATH_PATTERN);
    private static final Pattern CLAIM = Pattern.compile(GuestSpec.CLAIM_PATTERN);

    private GuestSpecRules() {}

    /** The first problem, as "spec.<message>", or empty. */
    static Optional<String> problem(GiantVMSpec spec) {
        GuestSpec g = spec.guest;
        if (g == null) {
            return Optional.empty();
        }
        GuestKind kind = g.kindOrDefault();
        if (kind == GuestKind.KERNEL && g.kernel == null) {
            return spec(GuestSpec.KERNEL_NEEDS_PATH);
        }
        if (kind == GuestKind.KERNEL && g.volume == null) {
            return spec(GuestSpec.KERNEL_NEEDS_VOLUME);
        }
        if (kind != GuestKind.KERNEL && (g.kernel != null || g.initrd != null || g.volume != null)) {
            return spec(GuestSpec.FILES_ONLY_FOR_KERNEL);
        }
        if (!kind.linux() && g.append != null) {
            return spec(GuestSpec.LINUX_ONLY);
        }
        if (kind != GuestKind.BUNDLED_LINUX && (g.sysbench != null || g.time != null)) {
            return spec(GuestSpec.BUNDLED_LINUX_ONLY);
        }
        if (kind.linux() && spec.workload != null) {
            return spec(GiantVMSpec.WORKLOAD_ONLY_FOR_TEST_GUEST);
        }
        for (String[] path : new String[][] {{"kernel", g.kernel}, {"initrd", g.initrd}}) {
            if (path[1] != null && (path[1].length() > GuestSpec.MAX_PATH || !PATH.matcher(path[1]).matches())) {
                return spec("guest." + path[0] + " '" + path[1] + "' must be a relative path inside guest.volume"
                        + " (no leading '/', no '.' or '..' segments)");
            }
        }
        if (g.volume != null && (g.volume.length() > GuestSpec.MAX_CLAIM || !CLAIM.matcher(g.volume).matches())) {
            return spec("guest.volume '" + g.volume + "' is not a PersistentVolumeClaim name");
        }
        if (g.append != null && g.append.length() > GuestSpec.MAX_APPEND) {
            return spec("guest.append is " + g.append.length() + " characters, more than " + GuestSpec.MAX_APPEND);
        }
        if (g.sysbench != null && (g.sysbench.isEmpty() || g.sysbench.stream().anyMatch(Objects::isNull))) {
            return spec("guest.sysbench must name at least one of " + Arrays.stream(SysbenchTest.values())
                    .map(SysbenchTest::wire).collect(Collectors.joining(", ")));
        }
        if (g.sysbench != null && new HashSet<>(g.sysbench).size() != g.sysbench.size()) {
            return spec(GuestSpec.TESTS_ONCE);
        }
        if (g.time != null && (g.time < 1 || g.time > GuestSpec.MAX_TIME_SECONDS)) {
            return spec("guest.time must be 1.." + GuestSpec.MAX_TIME_SECONDS + " seconds, got " + g.time);
        }
        return Optional.empty();
    }

    private static Optional<String> spec(String message) {
        return Optional.of("spec." + message);
    }
}
