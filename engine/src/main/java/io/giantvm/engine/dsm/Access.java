package io.giantvm.engine.dsm;

import io.giantvm.engine.mesh.v1.AccessMode;

/** The permission a fault asks for. WRITE implies READ. */
public enum Access {
    READ,
    WRITE;

    boolean covers(Access other) {
        return this == WRITE || other == READ;
    }

    AccessMode wire() {
        return this == READ ? AccessMode.READ : AccessMode.WRITE;
    }

    static Access of(AccessMode mode) {
        return switch (mode) {
            case READ -> READ;
            case WRITE -> WRITE;
            default -> throw new IllegalArgumentException("access mode " + mode + " on the wire");
        };
    }
}
