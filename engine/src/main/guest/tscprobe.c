/* See tscprobe.h. The token and the AP's reading share one page of their own. */
#include "tscprobe.h"
#include "arch.h"

#define PROBE_REPLY 0x80000000u

static struct {
    volatile uint32_t turn;   /* AP index: its turn; AP index | PROBE_REPLY: its answer is in t2 */
    volatile uint64_t t2;
} __attribute__((aligned(PAGE_SIZE))) token;

void tsc_probe_all(uint32_t vcpus, struct tsc_probe *probes)
{
    for (uint32_t ap = 1; ap < vcpus; ap++) {
        uint64_t t1 = rdtsc_ordered();
        token.turn = ap;
        while (token.turn != (ap | PROBE_REPLY))
            cpu_pause();
        uint64_t t3 = rdtsc_ordered();
        probes[ap].t1 = t1;
        probes[ap].t2 = token.t2;
        probes[ap].t3 = t3;
    }
}

void tsc_probe_answer(unsigned cpu)
{
    while (token.turn != cpu)
        cpu_pause();
    token.t2 = rdtsc_ordered();
    __asm__ __volatile__("" ::: "memory");
    token.turn = cpu | PROBE_REPLY;
}
