package io.giantvm.engine.devices;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BusTest {
    /** Records what reached it, answers reads with its offset plus a tag. */
    private static final class Probe implements BusDevice {
        final long tag;
        final List<String> log = new ArrayList<>();

        Probe(long tag) {
            this.tag = tag;
        }

        @Override
        public long read(int vcpu, long offset, int size) {
            log.add("r" + vcpu + "@" + offset + "/" + size);
            return tag + offset;
        }

        @Override
        public void write(int vcpu, long offset, int size, long value) {
            log.add("w" + vcpu + "@" + offset + "/" + size + "=" + value);
        }
    }

    @Test
    void dispatchesWithOffsetsRelativeToTheDevicesBase() {
        Bus bus = new Bus("pio");
        Probe uart = new Probe(1000);
        Probe exit = new Probe(2000);
        bus.register(0x3F8, 8, "uart", uart);
        bus.register(0xF4, 4, "exit", exit);

        assertThat(bus.read(1, 0x3FD, 1)).isEqualTo(1005);
        bus.write(0, 0xF4, 4, 7);
        bus.write(0, 0x3F8, 1, 'A');

        assertThat(uart.log).containsExactly("r1@5/1", "w0@0/1=65");
        assertThat(exit.log).containsExactly("w0@0/4=7");
    }

    @Test
    void overlappingRangesAreRejectedNamingBothDevices() {
        Bus bus = new Bus("mmio");
        bus.register(0x1000, 0x1000, "a", new Probe(0));
        assertThatThrownBy(() -> bus.register(0x1FFF, 2, "b", new Probe(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mmio bus: b at 0x1fff-0x2000 overlaps a at 0x1000-0x1fff");
        assertThatThrownBy(() -> bus.register(0x800, 0x2000, "c", new Probe(0)))
                .hasMessageContaining("c at 0x800-0x27ff overlaps a");
    }

    @Test
    void adjacentRangesAreFineAndEachGetsItsOwnAccesses() {
        Bus bus = new Bus("pio");
        Probe low = new Probe(0);
        Probe high = new Probe(100);
        bus.register(0x10, 0x10, "low", low);
        bus.register(0x20, 0x10, "high", high);
        assertThat(bus.read(0, 0x1F, 1)).isEqualTo(15);
        assertThat(bus.read(0, 0x20, 1)).isEqualTo(100);
    }

    @Test
    void unmappedAccessesReadAllOnesAndAreCounted() {
        Bus bus = new Bus("pio");
        bus.register(0x10, 4, "dev", new Probe(0));
        assertThat(bus.read(0, 0x80, 1)).isEqualTo(0xFF);
        assertThat(bus.read(0, 0x80, 2)).isEqualTo(0xFFFF);
        assertThat(bus.read(0, 0x80, 4)).isEqualTo(0xFFFF_FFFFL);
        assertThat(bus.read(0, 0x14, 8)).isEqualTo(-1L);
        bus.write(0, 0x0F, 1, 1);
        assertThat(bus.unmappedAccesses()).isEqualTo(5);
        assertThat(bus.isMapped(0x13)).isTrue();
        assertThat(bus.isMapped(0x14)).isFalse();
    }

    @Test
    void findsTheRightDeviceAmongManyRegisteredOutOfOrder() {
        Bus bus = new Bus("mmio");
        for (int i = 63; i >= 0; i--) {
            bus.register(i * 0x100L, 0x80, "d" + i, new Probe(i * 10_000L));
        }
        for (int i = 0; i < 64; i++) {
            assertThat(bus.read(0, i * 0x100L + 0x7F, 4)).isEqualTo(i * 10_000L + 0x7F);
            assertThat(bus.isMapped(i * 0x100L + 0x80)).isFalse();
        }
    }

    @Test
    void emptyAndWrappingRangesAreRejected() {
        Bus bus = new Bus("pio");
        assertThatThrownBy(() -> bus.register(0x10, 0, "zero", new Probe(0))).hasMessageContaining("bad range");
        assertThatThrownBy(() -> bus.register(Long.MAX_VALUE, 2, "wrap", new Probe(0))).hasMessageContaining("bad range");
    }
}
