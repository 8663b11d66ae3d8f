/*
 * INIT-SIPI-SIPI, per AP, physical destination, no shorthands (the engine forwards each IPI, possibly to
 * another node). Waits are bounded by TSC cycles; we do not know the TSC rate, so the bounds assume
 * roughly 1..5 GHz: short pauses stay in the ~0.1 ms range, the "did it come up" wait is ~6..30 s.
 */
#include "smp.h"
#include "arch.h"

#define INIT_TO_SIPI_CYCLES   1000000ULL       /* ~0.2..1 ms; real hardware wants 10 ms, VMMs none */
#define SIPI_TO_SIPI_CYCLES   200000ULL        /* ~40..200 us */
#define ICR_IDLE_CYCLES       100000000ULL     /* delivery-status poll bound */
/* ~6..30 s for an AP to reach ring 3. On one node it takes milliseconds; across nodes the AP faults in its
 * code and stacks over the DSM (the page tables are node-private by then: main.c declares them static), which
 * under nested emulation costs milliseconds per fault. */
#define AP_ALIVE_CYCLES       30000000000ULL

volatile uint32_t cpus_alive;

extern const uint8_t trampoline_start[], trampoline_end[];
extern const uint32_t trampoline_checkin_offset;

static volatile uint32_t *checkin(void)
{
    return (volatile uint32_t *)(uintptr_t)(TRAMPOLINE_ADDR + trampoline_checkin_offset);
}

static void delay_cycles(uint64_t cycles)
{
    uint64_t start = rdtsc();
    while (rdtsc() - start < cycles)
        cpu_pause();
}

static void send_ipi(uint32_t apic_id, uint32_t low)
{
    uint64_t start = rdtsc();
    while ((lapic_read(LAPIC_ICR_LOW) & ICR_BUSY) && rdtsc() - start < ICR_IDLE_CYCLES)
        cpu_pause();
    lapic_write(LAPIC_ICR_HIGH, apic_id << 24);
    lapic_write(LAPIC_ICR_LOW, low);
}

static int wait_for(volatile uint32_t *counter, uint32_t value, uint64_t cycles)
{
    uint64_t start = rdtsc();
    while (*counter < value) {
        if (rdtsc() - start >= cycles)
            return 0;
        cpu_pause();
    }
    return 1;
}

uint32_t smp_start(uint32_t vcpus, int *stage)
{
    const uint8_t *src = trampoline_start;
    uint8_t *dst = (uint8_t *)(uintptr_t)TRAMPOLINE_ADDR;
    for (long i = 0; i < trampoline_end - trampoline_start; i++)
        dst[i] = src[i];
    *checkin() = 0;

    for (uint32_t id = 1; id < vcpus; id++) {
        send_ipi(id, ICR_INIT);
        delay_cycles(INIT_TO_SIPI_CYCLES);
        send_ipi(id, ICR_STARTUP | SIPI_VECTOR);
        delay_cycles(SIPI_TO_SIPI_CYCLES);
        send_ipi(id, ICR_STARTUP | SIPI_VECTOR);   /* ignored by an AP that already left wait-for-SIPI */
        if (!wait_for(&cpus_alive, id + 1, AP_ALIVE_CYCLES)) {
            *stage = *checkin() >= id ? 1 : 0;
            return id;
        }
    }
    return 0;
}
