package io.giantvm.engine.dsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.giantvm.engine.mesh.FrameDispatcher;
import io.giantvm.engine.mesh.v1.DsmInvalidate;
import io.giantvm.engine.mesh.v1.Frame;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Declared-static pages leave Ivy on every node: same content everywhere, writable, never a fault again. */
class StaticPagesTest {
    private static final long PAGE = 1; // homed at node 0 of three
    private static final long OTHER = 5; // homed at node 2, stays under Ivy

    private static StaticPages[] wire(SimCluster c) {
        StaticPages[] pages = new StaticPages[c.nodes.length];
        for (int i = 0; i < c.nodes.length; i++) {
            pages[i] = new StaticPages(c.nodes[i], c.mesh.transport(i), Duration.ofSeconds(10));
            c.mesh.transport(i).setHandler(new FrameDispatcher()
                    .route(c.nodes[i], Frame.BodyCase.DSM_REQUEST, Frame.BodyCase.DSM_FORWARD, Frame.BodyCase.DSM_GRANT,
                            Frame.BodyCase.DSM_INVALIDATE, Frame.BodyCase.DSM_INVALIDATE_ACK, Frame.BodyCase.DSM_CONFIRM)
                    .route(pages[i], Frame.BodyCase.DSM_STATIC_PAGE));
        }
        return pages;
    }

    private static void write(DsmNode node, long page, long value) {
        node.access(page, Access.WRITE, m -> {
            m.write(DsmLayout.addressOf(page), DsmStressTestBytes.of(value), 0, 8);
            return null;
        });
    }

    private static long read(DsmNode node, long page) {
        return node.access(page, Access.READ, m -> {
            byte[] b = new byte[8];
            m.read(DsmLayout.addressOf(page), b, 0, 8);
            return DsmStressTestBytes.toLong(b);
        });
    }

    @Test
    void aDeclaredPageIsCopiedToEveryNodeWritableAndNeverFaultsAgain() {
        try (SimCluster c = SimCluster.threaded(3, 4, null, Duration.ZERO, Duration.ofSeconds(10))) {
            StaticPages[] pages = wire(c);
            write(c.nodes[1], PAGE, 0xC0FFEE);      // owner: node 1, home: node 0
            assertThat(read(c.nodes[0], PAGE)).isEqualTo(0xC0FFEE); // node 0 holds a shared copy

            pages[2].declare(PAGE, 1); // node 2 has never seen the page

            byte[] content = c.memories[1].copyOut(PAGE);
            long faultsBefore = 0;
            for (int i = 0; i < 3; i++) {
                assertThat(c.nodes[i].stateOf(PAGE)).as("node %d", i).isEqualTo(PageState.STATIC);
                assertThat(c.memories[i].isWritable(PAGE)).as("node %d writable", i).isTrue();
                assertThat(c.memories[i].contentEquals(PAGE, content)).as("node %d content", i).isTrue();
                faultsBefore += c.nodes[i].stats().totalMoves();
            }
            // Each node now writes its private copy (as a page walker would): no protocol traffic, no coherence.
            for (int i = 0; i < 3; i++) {
                write(c.nodes[i], PAGE, 100 + i);
            }
            long faultsAfter = 0;
            for (int i = 0; i < 3; i++) {
                assertThat(read(c.nodes[i], PAGE)).isEqualTo(100 + i);
                faultsAfter += c.nodes[i].stats().totalMoves();
            }
            assertThat(faultsAfter).isEqualTo(faultsBefore);

            // The rest of memory is still coherent.
            write(c.nodes[0], OTHER, 7);
            assertThat(read(c.nodes[2], OTHER)).isEqualTo(7);
        }
    }

    @Test
    void anInvalidationForAStaticPageIsAProtocolBug() {
        try (SimCluster c = SimCluster.threaded(2, 4, null, Duration.ZERO, Duration.ofSeconds(10))) {
            wire(c)[0].declare(PAGE, 1);
            assertThatThrownBy(() -> c.nodes[1].onFrame(Frame.newBuilder().setFrom(0)
                    .setDsmInvalidate(DsmInvalidate.newBuilder().setPage(PAGE).setVersion(99)).build()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("static page 0x1");
            assertThat(c.nodes[1].stateOf(PAGE)).isEqualTo(PageState.STATIC);
        }
    }
}
