package io.giantvm.engine.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.giantvm.engine.devices.Bus;
import io.giantvm.engine.devices.BusDevice;
import io.giantvm.engine.mesh.InProcessMesh;
import io.giantvm.engine.mesh.v1.IoSpace;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A device on node 0 reached from node 1 through RemoteDevice and IoServer over the in-process mesh. */
class DeviceForwardingTest {
    private static final long PORT_BASE = 0x3f8;
    private static final int PORTS = 8;

    /** Remembers every access and answers reads with a value derived from the port and vCPU. */
    private static final class RecordingDevice implements BusDevice {
        final List<String> log = new CopyOnWriteArrayList<>();

        @Override
        public long read(int vcpu, long offset, int size) {
            log.add("r vcpu%d +%d/%d".formatted(vcpu, offset, size));
            return 0x100 * vcpu + offset;
        }

        @Override
        public void write(int vcpu, long offset, int size, long value) {
            log.add("w vcpu%d +%d/%d=%x".formatted(vcpu, offset, size, value));
        }
    }

    @Test
    void accessesArriveOnTheOwnersBusWithTheSameOffsetsAndReadsComeBack() throws Exception {
        try (InProcessMesh mesh = InProcessMesh.threaded(2, null, Duration.ZERO)) {
            RecordingDevice uart = new RecordingDevice();
            Bus ownerPio = new Bus("pio");
            ownerPio.register(PORT_BASE, PORTS, "uart", uart);
            try (IoServer server = new IoServer(mesh.transport(0), ownerPio, new Bus("mmio"))) {
                mesh.transport(0).setHandler(server);
                mesh.transport(1).setHandler(f -> { });
                Bus remotePio = new Bus("pio");
                RemoteDevice proxy = new RemoteDevice(mesh.transport(1), 0, IoSpace.PORT, PORT_BASE, "uart", Duration.ofSeconds(5));
                remotePio.register(PORT_BASE, PORTS, "uart", proxy);

                remotePio.write(3, PORT_BASE, 1, 'A');
                long read = remotePio.read(3, PORT_BASE + 5, 1);

                assertThat(read).isEqualTo(0x305);
                assertThat(uart.log).containsExactly("w vcpu3 +0/1=41", "r vcpu3 +5/1");
                assertThat(proxy.forwardedAccesses()).isEqualTo(2);
                assertThat(server.served()).isEqualTo(2);
            }
        }
    }

    /** Records the thread each access ran on. */
    private static final class ThreadRecordingDevice implements BusDevice {
        final boolean mayWait;
        final List<String> threads = new CopyOnWriteArrayList<>();

        ThreadRecordingDevice(boolean mayWait) {
            this.mayWait = mayWait;
        }

        @Override
        public long read(int vcpu, long offset, int size) {
            threads.add(Thread.currentThread().getName());
            return 1;
        }

        @Override
        public void write(int vcpu, long offset, int size, long value) {
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public boolean mayWaitOnMesh() {
            return mayWait;
        }
    }

    @Test
    void onlyAccessesThatMayWaitOnTheMeshTakeTheIoServerThread() throws Exception {
        try (InProcessMesh mesh = InProcessMesh.threaded(2, null, Duration.ZERO)) {
            ThreadRecordingDevice registers = new ThreadRecordingDevice(false);
            ThreadRecordingDevice guestMemory = new ThreadRecordingDevice(true);
            Bus ownerPio = new Bus("pio");
            ownerPio.register(PORT_BASE, 1, "registers", registers);
            ownerPio.register(PORT_BASE + 1, 1, "guest-memory", guestMemory);
            try (IoServer server = new IoServer(mesh.transport(0), ownerPio, new Bus("mmio"))) {
                mesh.transport(0).setHandler(server);
                mesh.transport(1).setHandler(f -> { });

                new RemoteDevice(mesh.transport(1), 0, IoSpace.PORT, PORT_BASE, "registers", Duration.ofSeconds(5)).read(0, 0, 1);
                new RemoteDevice(mesh.transport(1), 0, IoSpace.PORT, PORT_BASE + 1, "guest-memory", Duration.ofSeconds(5)).write(0, 0, 1, 7);

                assertThat(registers.threads).singleElement().isNotEqualTo(ForwardLayout.IO_SERVER_THREAD);
                assertThat(guestMemory.threads).containsExactly(ForwardLayout.IO_SERVER_THREAD);
                assertThat(server.served()).isEqualTo(2);
            }
        }
    }

    @Test
    void aDeviceThatThrowsOnTheOwnerFailsTheAccessWithItsMessage() throws Exception {
        try (InProcessMesh mesh = InProcessMesh.threaded(2, null, Duration.ZERO)) {
            Bus ownerPio = new Bus("pio");
            ownerPio.register(PORT_BASE, PORTS, "bench", new BusDevice() {
                @Override
                public long read(int vcpu, long offset, int size) {
                    return 0;
                }

                @Override
                public void write(int vcpu, long offset, int size, long value) {
                    throw new IllegalStateException("record at 0x" + Long.toHexString(value) + " is outside RAM");
                }
            });
            try (IoServer server = new IoServer(mesh.transport(0), ownerPio, new Bus("mmio"))) {
                mesh.transport(0).setHandler(server);
                mesh.transport(1).setHandler(f -> { });
                RemoteDevice proxy = new RemoteDevice(mesh.transport(1), 0, IoSpace.PORT, PORT_BASE, "bench", Duration.ofSeconds(5));

                assertThatThrownBy(() -> proxy.write(1, 0, 4, 0xdead000L))
                        .isInstanceOf(RemoteDeviceException.class)
                        .hasMessageContaining("write of port 0x3f8 (bench) forwarded to node 0 failed")
                        .hasMessageContaining("outside RAM");
            }
        }
    }

    @Test
    void aDeadOwnerFailsTheWaitingAccessNamingTheNode() throws Exception {
        try (InProcessMesh mesh = InProcessMesh.threaded(2, null, Duration.ZERO)) {
            CountDownLatch arrived = new CountDownLatch(1);
            mesh.transport(0).setHandler(f -> arrived.countDown()); // never answers: the node is about to die
            mesh.transport(1).setHandler(f -> { });
            RemoteDevice proxy = new RemoteDevice(mesh.transport(1), 0, IoSpace.PORT, PORT_BASE, "uart", Duration.ofSeconds(30));
            Thread killer = Thread.ofPlatform().start(() -> {
                try {
                    arrived.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    return;
                }
                mesh.kill(0);
            });
            long start = System.nanoTime();
            assertThatThrownBy(() -> proxy.write(1, 0, 1, 'x'))
                    .isInstanceOf(RemoteDeviceException.class)
                    .hasMessageContaining("forwarded to node 0 failed: node 0 is down");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            killer.join();
            // Later accesses fail at once, they do not wait for a timeout.
            assertThatThrownBy(() -> proxy.read(1, 5, 1)).hasMessageContaining("node 0 is down");
        }
    }

    @Test
    void anOwnerThatNeverAnswersFailsTheAccessWhenTheBoundPasses() throws Exception {
        try (InProcessMesh mesh = InProcessMesh.threaded(2, null, Duration.ZERO)) {
            mesh.transport(0).setHandler(f -> { });
            mesh.transport(1).setHandler(f -> { });
            RemoteDevice proxy = new RemoteDevice(mesh.transport(1), 0, IoSpace.MMIO, 0xfed00000L, "hpet", Duration.ofMillis(100));
            assertThatThrownBy(() -> proxy.read(2, 8, 4))
                    .isInstanceOf(RemoteDeviceException.class)
                    .hasMessageContaining("vCPU 2: read of MMIO 0xfed00008 (hpet) forwarded to node 0 failed: no reply within 100 ms");
        }
    }
}
