package io.giantvm.operator.resources;

import java.util.LinkedHashMap;
import java.util.Map;

/** Labels and annotations the operator puts on what it owns. */
public final class Labels {
    private Labels() {}

    public static final String VM = "giantvm.io/vm";
    /** On pods: hash of the pod template and VM description they were started from (restart detection). */
    public static final String POD_HASH = "giantvm.io/pod-hash";
    /** On owned objects: hash of what the operator last wrote, so unchanged objects are not rewritten. */
    public static final String APPLIED_HASH = "giantvm.io/applied-hash";
    /** On the pod template: hash of the VM description, so a description change changes the template. */
    public static final String DESCRIPTION_HASH = "giantvm.io/vm-description-hash";
    /**
     * On the StatefulSet: the pod hash with which the VM last reached Running. Kept on the object the
     * operator owns, not in the status, because the cached status can lag one pass behind a patch.
     */
    public static final String RUNNING_HASH = "giantvm.io/running-hash";
    /** On the StatefulSet while a spec change restarts the VM: why (shown in status.restart). */
    public static final String RESTART_REASON = "giantvm.io/restart-reason";
    /** Set by the StatefulSet controller (Kubernetes 1.28+) on each pod: its ordinal. */
    public static final String POD_INDEX = "apps.kubernetes.io/pod-index";

    /** Selects the pods of one VM; must never change for a VM (a StatefulSet's selector is immutable). */
    public static Map<String, String> selector(String vm) {
        return Map.of(VM, vm);
    }

    public static Map<String, String> common(String vm) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/name", "giantvm");
        labels.put("app.kubernetes.io/instance", vm);
        labels.put("app.kubernetes.io/managed-by", "giantvm-operator");
        labels.put(VM, vm);
        return labels;
    }
}
