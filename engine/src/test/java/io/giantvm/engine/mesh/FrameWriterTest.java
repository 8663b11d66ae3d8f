package io.giantvm.engine.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.giantvm.engine.mesh.v1.DsmConfirm;
import io.giantvm.engine.mesh.v1.Frame;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;

/** A frame written over a real loopback socket channel. */
class FrameWriterTest {

    @Test
    void anInterruptedSenderDoesNotCloseTheConnectionAndKeepsItsInterrupt() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             SocketChannel out = SocketChannel.open(server.getLocalAddress());
             SocketChannel in = server.accept()) {
            FrameWriter writer = new FrameWriter(out, 8 << 10);
            FrameReader reader = new FrameReader(in, 8 << 10);
            Frame confirm = Frame.newBuilder().setFrom(1).setDsmConfirm(DsmConfirm.newBuilder().setPage(9).setVersion(2)).build();

            Thread.currentThread().interrupt(); // as a vCPU thread kicked while it sends would be
            try {
                writer.write(confirm);
                assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept for its owner").isTrue();
            } finally {
                Thread.interrupted();
            }

            assertThat(out.isOpen()).as("a socket channel closes itself on an interrupted write").isTrue();
            writer.write(confirm);
            assertThat(reader.next()).isEqualTo(confirm);
            assertThat(reader.next()).isEqualTo(confirm);
        }
    }
}
