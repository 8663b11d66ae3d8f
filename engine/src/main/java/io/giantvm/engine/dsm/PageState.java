package io.giantvm.engine.dsm;

/** Ivy's states of one node's copy of one page. */
public enum PageState {
    /** No usable copy: any access faults. */
    INVALID,
    /** A read-only copy equal to the owner's; other nodes may hold one too. */
    SHARED,
    /** The only copy, writable; this node is the owner. */
    MODIFIED,
    /**
     * Outside Ivy: a page the guest declared static (never written again), of which every node keeps its own
     * writable copy. Never faults, never moves, never invalidated.
     */
    STATIC;

    boolean permits(Access access) {
        return this == MODIFIED || this == STATIC || (this == SHARED && access == Access.READ);
    }
}
