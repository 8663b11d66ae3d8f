package io.giantvm.engine.dsm;

/** Ivy's states of one node's copy of one page. */
public enum PageState {
    /** No usable copy: any access faults. */
    INVALID,
    /** A read-only copy equal to the owner's; other nodes may hold one too. */
    SHARED,
    /** The only copy, writable; this node is the owner. */
    MODIFIED;

    boolean permits(Access access) {
        return this == MODIFIED || (this == SHARED && access == Access.READ);
    }
}
