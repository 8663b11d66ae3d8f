package io.giantvm.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultibootBootPlanTest {

    private static final String CMDLINE = WorkloadSpec.parse("mutex", Map.of()).toKernelCommandLine(2);

    @Test
    void plansTheBundledGuestAsTheContractSays() {
        byte[] image = BundledGuest.image();
        MultibootHeader h = MultibootHeader.find(image);
        MultibootBootPlan p = MultibootBootPlan.plan(image, 256L << 20, CMDLINE);

        assertThat(p.eip()).isEqualTo(h.entry());
        assertThat(p.eax()).isEqualTo(0x2BADB002);
        assertThat(p.ebx()).isEqualTo(0x7000);
        assertThat(p.writes()).extracting(MultibootBootPlan.Write::address)
                .containsExactly(0x100000L, h.loadEnd(), 0x7000L, 0x7100L);
        assertThat(p.writes().get(0).bytes()).isEqualTo(image);
        assertThat(p.writes().get(1).bytes()).hasSize((int) (h.bssEnd() - h.loadEnd())).containsOnly(0);

        ByteBuffer info = ByteBuffer.wrap(p.writes().get(2).bytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(info.getInt(0)).isEqualTo(0x5);                      // mem + cmdline valid
        assertThat(info.getInt(4)).isEqualTo(639);
        assertThat(info.getInt(8)).isEqualTo(255 * 1024);               // KiB above 1 MiB
        assertThat(info.getInt(16)).isEqualTo(0x7100);
        byte[] cmd = p.writes().get(3).bytes();
        assertThat(cmd[cmd.length - 1]).isZero();
        assertThat(new String(cmd, 0, cmd.length - 1, StandardCharsets.US_ASCII)).isEqualTo(CMDLINE);
    }

    @Test
    void memUpperStopsAtTheApic() {
        MultibootBootPlan p = MultibootBootPlan.plan(BundledGuest.image(), 8L << 30, CMDLINE);
        int memUpper = ByteBuffer.wrap(p.writes().get(2).bytes()).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
        assertThat(Integer.toUnsignedLong(memUpper) * 1024 + (1 << 20)).isEqualTo(0xFEE00000L);
    }

    @Test
    void rejectsTooLittleRamAndTooLongCommandLines() {
        byte[] image = BundledGuest.image();
        assertThatThrownBy(() -> MultibootBootPlan.plan(image, 16L << 20, CMDLINE))
                .hasMessage("guest RAM of 16M is below the guest's minimum of 32M");
        char[] longLine = new char[3840];
        Arrays.fill(longLine, 'x');
        assertThatThrownBy(() -> MultibootBootPlan.plan(image, 64L << 20, new String(longLine)))
                .hasMessage("kernel command line is 3840 bytes, at most 3839 fit");
        assertThat(MultibootBootPlan.plan(image, 64L << 20, new String(longLine, 0, 3839)).writes()).hasSize(4);
    }
}
