package io.giantvm.engine.config;

/** Constants of the VM description format (engine/VM-DESCRIPTION.md). */
public final class ConfigLayout {
    private ConfigLayout() {}

    public static final String API_VERSION = "giantvm.io/v1alpha1";
    public static final String KIND = "VmDescription";

    /** Home ranges are multiples of this, so a node's range can be backed by huge pages later. */
    public static final long HOME_ALIGNMENT = 2L << 20;

    /** The DSM's page: guest memory must be a whole number of them. */
    public static final long PAGE = 4096;

    /** xAPIC ids are 8 bits and 0xff is broadcast, so at most 255 vCPUs (ids 0..254). */
    public static final int MAX_VCPUS = 255;

    public static final int MAX_PORT = 65535;

    /** Loopback VMs made by {@code giantvm run}: node i listens on MESH_BASE+i and CONTROL_BASE+i. */
    public static final int LOOPBACK_MESH_BASE = 7100;
    public static final int LOOPBACK_CONTROL_BASE = 7200;
    public static final String LOOPBACK_HOST = "127.0.0.1";
}
