package io.giantvm.engine.dsm;

/** Why a node had to ask the DSM for a page, as uffd reports it. */
public enum FaultKind {
    /** Read of a page this node holds no copy of. */
    READ_MISSING,
    /** Write to a page this node holds no copy of. */
    WRITE_MISSING,
    /** Write to a page this node holds read-only (Shared): an upgrade. */
    WRITE_PROTECT
}
