package io.giantvm.operator.status;

/** Condition reasons the operator writes (besides those of spec and node checks). */
public final class Reasons {
    private Reasons() {}

    public static final String ALL_SCHEDULED = "AllScheduled";
    public static final String UNSCHEDULABLE = "Unschedulable";
    /** The StatefulSet controller could not create a pod (Pod Security, quota, webhook). */
    public static final String FAILED_CREATE = "FailedCreate";
    public static final String WAITING_FOR_PODS = "WaitingForPods";
    public static final String MESH_COMPLETE = "MeshComplete";
    public static final String MESH_INCOMPLETE = "MeshIncomplete";
    public static final String RUNNING = "Running";
    public static final String NOT_ALL_READY = "NotAllReady";
    public static final String RESTARTING = "Restarting";
    public static final String HALTED = "Halted";
    public static final String POD_FAILED = "PodFailed";
    public static final String GUEST_FAILED = "GuestFailed";
    public static final String NODE_NOT_READY = "NodeNotReady";
    /** The VM stopped by failing: a node died, or the guest failed; the whole VM restarts. */
    public static final String VM_STOPPED = "VmStopped";
    public static final String AS_EXPECTED = "AsExpected";
    /** The guest ran to completion and succeeded (runStrategy Once or RerunOnFailure). */
    public static final String SUCCEEDED = "Succeeded";
    /** The run is over (Once / RerunOnFailure): no hypervisors run any more. */
    public static final String COMPLETED = "Completed";
    public static final String BLOCKED = "Blocked";
}
