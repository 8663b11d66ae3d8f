package io.giantvm.engine.control;

/** The control port and the health service names its probes ask for; see control.proto. */
public final class ControlEndpoints {
    private ControlEndpoints() {}

    /** The control API's port unless the VM description says otherwise (mesh is 7100). */
    public static final int DEFAULT_PORT = 7200;

    /** Health service name for liveness: the empty name, gRPC's convention for "the whole server". */
    public static final String LIVENESS_SERVICE = "";

    /** Health service name for readiness: SERVING once the mesh is complete and the guest runs. */
    public static final String READINESS_SERVICE = "giantvm.control.v1.Control";

    /** How often the health service's answers are refreshed from the engine, in milliseconds. */
    static final long HEALTH_REFRESH_MILLIS = 250;
}
