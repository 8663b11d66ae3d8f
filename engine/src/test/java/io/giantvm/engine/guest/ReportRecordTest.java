package io.giantvm.engine.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ReportRecordTest {

    /** A record as the guest's struct gvm_report lays it out, written by hand, field by field. */
    private static final String MUTEX_SUMMARY_HEX = ""
            + "47564d52" + "02000000" + "02000000" + "02000000"   // magic "GVMR", kind 2, vcpu 2, workload 2
            + "d007000000000000"                                   // operations 2000
            + "0102030405060708"                                   // tsc 0x0807060504030201
            + "d007000000000000"                                   // checksum 2000
            + "0300000000000000"                                   // interrupts 3
            + "0100000000000000"                                   // extra0 1 lock
            + "0000000000000000";                                  // extra1

    @Test
    void decodesTheGuestLayout() {
        ReportRecord r = ReportRecord.decode(HexFormat.of().parseHex(MUTEX_SUMMARY_HEX));
        assertThat(r).isEqualTo(new ReportRecord(ReportKind.SUMMARY, 2, Workload.MUTEX, 2000, 0x0807060504030201L,
                2000, 3, 1, 0));
    }

    @Test
    void encodeIsTheInverse() {
        ReportRecord r = new ReportRecord(ReportKind.VCPU, 63, Workload.MEMORY, -1L, 5, Long.MIN_VALUE, 0, 65536, 0);
        byte[] bytes = r.encode();
        assertThat(bytes).hasSize(ReportRecord.SIZE);
        assertThat(ReportRecord.decode(bytes)).isEqualTo(r);
        assertThat(HexFormat.of().formatHex(ReportRecord.decode(HexFormat.of().parseHex(MUTEX_SUMMARY_HEX)).encode()))
                .isEqualTo(MUTEX_SUMMARY_HEX);
    }

    @Test
    void decodesAtTheBufferPositionWithoutMovingIt() {
        ByteBuffer b = ByteBuffer.allocate(100);
        b.position(20).put(HexFormat.of().parseHex(MUTEX_SUMMARY_HEX)).position(20);
        assertThat(ReportRecord.decode(b).operations()).isEqualTo(2000);
        assertThat(b.position()).isEqualTo(20);
    }

    @Test
    void rejectsBadRecords() {
        byte[] bytes = HexFormat.of().parseHex(MUTEX_SUMMARY_HEX);
        assertThatThrownBy(() -> ReportRecord.decode(new byte[63])).hasMessage("report record needs 64 bytes, got 63");
        byte[] badMagic = bytes.clone();
        badMagic[0] = 0;
        assertThatThrownBy(() -> ReportRecord.decode(badMagic)).hasMessageStartingWith("bad report magic 0x524D5600");
        byte[] badKind = bytes.clone();
        badKind[4] = 4;
        assertThatThrownBy(() -> ReportRecord.decode(badKind)).hasMessage("bad report kind 4 (expected 1, 2 or 3)");
        byte[] badWorkload = bytes.clone();
        badWorkload[12] = 9;
        assertThatThrownBy(() -> ReportRecord.decode(badWorkload)).hasMessage("unknown workload code 9 (expected 1..4)");
    }

    @Test
    void uartLineRoundTrips() {
        ReportRecord r = new ReportRecord(ReportKind.VCPU, 1, Workload.COMPUTE, 10, 20, -2L, 4, 0, 0);
        String line = ReportLine.format(r);
        assertThat(line).isEqualTo("report kind=1 vcpu=1 workload=4 operations=10 tsc_cycles=20 "
                + "checksum=18446744073709551614 interrupts=4 extra0=0 extra1=0");
        assertThat(ReportLine.parse(line + "\r")).contains(r);
        assertThat(ReportLine.parse("guest: 2 cpus up")).isEmpty();
        assertThatThrownBy(() -> ReportLine.parse("report kind=1 vcpu=1")).hasMessageStartingWith("report line lacks workload");
    }
}
