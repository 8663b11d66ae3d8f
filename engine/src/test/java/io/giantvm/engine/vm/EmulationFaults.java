package io.giantvm.engine.vm;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which test failures the nested suite may run again: only those whose cause is a known fault of nested emulation
 * (QEMU TCG emulating SVM), never a wrong result. A DSM or multi-node coherence bug shows as a wrong counter or
 * checksum, a guest crash or a timeout, and it may strike only now and then; rerunning it until it passes would
 * hide exactly the failures the DSM tests exist to catch. So the rule is a short allow-list, not a deny-list.
 */
final class EmulationFaults {
    /**
     * What KVM reports when the emulated SVM itself gives up, whatever the guest did: KVM's instruction emulator
     * failing on an instruction the emulated CPU handed it, and a VMRUN the emulated CPU refused.
     */
    static final List<String> SIGNATURES = List.of(
            "KVM internal error",
            "KVM could not enter the guest (FAIL_ENTRY");

    private EmulationFaults() {}

    /** The signature {@code failure} (its message, causes or suppressed exceptions) carries, if any. */
    static Optional<String> knownFault(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>();
        if (failure != null) {
            todo.add(failure);
        }
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            String message = String.valueOf(t.getMessage());
            for (String s : SIGNATURES) {
                if (message.contains(s)) {
                    return Optional.of(s);
                }
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            todo.addAll(List.of(t.getSuppressed()));
        }
        return Optional.empty();
    }
}
