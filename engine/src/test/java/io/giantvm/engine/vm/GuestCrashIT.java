package io.giantvm.engine.vm;

import io.giantvm.engine.boot.MultibootImage;
import io.giantvm.engine.cpu.GuestCrashException;
import io.giantvm.engine.memory.GuestLayout;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A guest that triple-faults ends the run with a message naming the vCPU, RIP and reason. */
class GuestCrashIT {
    @BeforeEach
    void needsKvm() {
        KvmRequirement.assumeKvm();
    }

    /** A multiboot image whose entry executes UD2 with no IDT: #UD, then #DF, then a triple fault. */
    private static byte[] tripleFaultImage() {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        long base = GuestLayout.IMAGE_BASE;
        int flags = 0x10002;
        b.putInt(0, MultibootImage.MAGIC);
        b.putInt(4, flags);
        b.putInt(8, -(MultibootImage.MAGIC + flags));
        b.putInt(12, (int) base);
        b.putInt(16, (int) base);
        b.putInt(20, (int) (base + 64));
        b.putInt(24, (int) (base + 64));
        b.putInt(28, (int) (base + 32));
        b.put(32, (byte) 0x0F).put(33, (byte) 0x0B); // ud2
        return b.array();
    }

    @Test
    void aTripleFaultNamesTheVcpuAndRip() throws Exception {
        MachineSpec spec = new MachineSpec(1, 32L << 20, tripleFaultImage(), "", new ByteArrayOutputStream());
        try (Machine m = Machine.create(spec)) {
            RunOutcome outcome = m.run(Duration.ofSeconds(60));
            assertThat(outcome.failure()).isInstanceOf(GuestCrashException.class);
            GuestCrashException crash = (GuestCrashException) outcome.failure();
            assertThat(crash.vcpu()).isZero();
            assertThat(crash.getMessage()).startsWith("guest crashed on vCPU 0 at RIP 0x").contains("triple fault");
            assertThat(outcome.succeeded()).isFalse();
            assertThat(crash.isShutdown()).isTrue();
            assertThat(crash.lastEvents()).as("the flight recorder ends with the shutdown exit").last()
                    .isEqualTo("exit SHUTDOWN (triple fault)");
        }
    }
}
