package io.giantvm.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Kubernetes-style conditions; lastTransitionTime moves only when the status flips. */
public final class Conditions {
    public static final String SCHEDULED = "Scheduled";
    public static final String MESH_CONNECTED = "MeshConnected";
    public static final String READY = "Ready";
    public static final String DEGRADED = "Degraded";

    /** The order conditions are listed in, so that the status does not reorder itself between passes. */
    private static final List<String> ORDER = List.of(SCHEDULED, MESH_CONNECTED, READY, DEGRADED);

    private final List<Condition> previous;
    private final List<Condition> next = new ArrayList<>();
    private final long generation;
    private final Instant now;

    public Conditions(List<Condition> previous, long generation, Instant now) {
        this.previous = previous == null ? List.of() : previous;
        this.generation = generation;
        this.now = now;
    }

    public Conditions set(String type, boolean status, String reason, String message) {
        String s = status ? "True" : "False";
        String since = previous.stream()
                .filter(c -> c.getType().equals(type) && c.getStatus().equals(s))
                .map(Condition::getLastTransitionTime)
                .findFirst()
                .orElse(now.toString());
        next.removeIf(c -> c.getType().equals(type));
        next.add(new ConditionBuilder().withType(type).withStatus(s).withReason(reason).withMessage(message)
                .withLastTransitionTime(since).withObservedGeneration(generation).build());
        return this;
    }

    public List<Condition> build() {
        List<Condition> out = new ArrayList<>(next);
        out.sort((a, b) -> Integer.compare(ORDER.indexOf(a.getType()), ORDER.indexOf(b.getType())));
        return out;
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return conditions != null && conditions.stream()
                .anyMatch(c -> c.getType().equals(type) && "True".equals(c.getStatus()));
    }
}
