/* See window.h. */
#include "window.h"
#include "arch.h"

struct control_word {
    volatile uint32_t value;
} __attribute__((aligned(PAGE_SIZE)));

_Static_assert(sizeof(struct control_word) == PAGE_SIZE, "one control word per page");

static struct control_word arrived, go, started, stop;
static uint64_t deadline;   /* BSP only */

static void wait_until(volatile uint32_t *counter, uint32_t value)
{
    /* Unbounded on purpose: a vCPU still starting may take hundreds of page transfers; the engine has the
     * timeout. */
    while (*counter < value)
        cpu_pause();
}

void window_enter(unsigned cpu, uint32_t vcpus)
{
    atomic_inc(&arrived.value);
    if (cpu == 0) {
        wait_until(&arrived.value, vcpus);
        go.value = 1;
    } else {
        wait_until(&go.value, 1);
    }
    atomic_inc(&started.value);
    wait_until(&started.value, vcpus);
}

void window_arm(uint64_t start_tsc, uint64_t tsc_cycles)
{
    deadline = start_tsc + tsc_cycles;
}

int window_closed(unsigned cpu)
{
    if (cpu == 0 && !stop.value && rdtsc() >= deadline)
        stop.value = 1;
    return stop.value != 0;
}
