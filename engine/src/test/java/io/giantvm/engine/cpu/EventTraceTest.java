package io.giantvm.engine.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.giantvm.engine.kvm.ExitReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flight recorder keeps the last events in order and says each in words. */
class EventTraceTest {
    @Test
    void eachKindReadsAsAPhrase() {
        EventTrace t = new EventTrace();
        t.record(EventTrace.Kind.SIPI, 0x9a, false);
        t.record(EventTrace.Kind.EXIT, ExitReason.HLT, false);
        t.record(EventTrace.Kind.HALT, 0, false);
        t.record(EventTrace.Kind.WAKE, 0, false);
        t.record(EventTrace.Kind.INTERRUPT, 0xec, false);
        t.record(EventTrace.Kind.KICK, 0, false);
        assertThat(t.lastEvents()).containsExactly("SIPI 0x9a", "exit HLT", "halted", "woken", "interrupt 0xec (IF=0)", "kicked out");
    }

    @Test
    void onlyTheLastCapacityEventsAreKeptOldestFirst() {
        EventTrace t = new EventTrace();
        for (int v = 0; v < EventTrace.CAPACITY + 10; v++) {
            t.record(EventTrace.Kind.INTERRUPT, v, true);
        }
        List<String> events = t.lastEvents();
        assertThat(events).hasSize(EventTrace.CAPACITY);
        assertThat(events.getFirst()).isEqualTo("interrupt 0xa (IF=1)");
        assertThat(events.getLast()).isEqualTo("interrupt 0x49 (IF=1)");
    }

    @Test
    void aCrashCarriesItsVcpusLastEventsOnOneLine() {
        GuestCrashException e = new GuestCrashException(1, 0xfff0, "SHUTDOWN (triple fault)", true, List.of("exit IO", "interrupt 0xec (IF=1)"));
        assertThat(e.lastEventsLine()).isEqualTo("vCPU 1's last events (oldest first): exit IO, interrupt 0xec (IF=1)");
        assertThat(new GuestCrashException(0, 0, "x").lastEventsLine()).isEmpty();
    }

    @Test
    void theOtherVcpusJoinTheReportAfterTheCrashedOnesEventsAndTheCrashStaysTheSame() {
        GuestCrashException e = new GuestCrashException(3, 0xfff0, "SHUTDOWN (triple fault)", true, List.of("exit HLT"));
        GuestCrashException told = e.withOtherVcpus(List.of("vCPU 2 RUNNING at RIP 0x1 (APIC ...); last events: exit IO"));
        assertThat(told.reportLines()).containsExactly("vCPU 3's last events (oldest first): exit HLT",
                "vCPU 2 RUNNING at RIP 0x1 (APIC ...); last events: exit IO");
        assertThat(told.getMessage()).isEqualTo(e.getMessage());
        assertThat(told.isShutdown()).isTrue();
        assertThat(told.vcpu()).isEqualTo(3);
        assertThat(e.reportLines()).containsExactly("vCPU 3's last events (oldest first): exit HLT");
    }
}
