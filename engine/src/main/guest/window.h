/*
 * The run window every vCPU's workload runs in, so that all of them really run together:
 *   arrive -> (BSP) go -> every vCPU announces it started -> wait until all started -> run -> stop.
 * Each control word has a page of its own: on several nodes a word sharing a page with data that vCPUs
 * write would move with that data, and a vCPU spinning on it would steal the page from a worker.
 * In time-window mode the BSP sets the stop word once its TSC passes the deadline; every vCPU checks it
 * between chunks of work. Ring 3 only.
 */
#ifndef GVM_WINDOW_H
#define GVM_WINDOW_H

#include <stdint.h>

/* Everything a vCPU needs touched (code, stack, data) must be touched before this: it is the last
 * moment that is not timed. Returns once every vCPU has started; the caller then reads its start TSC. */
void window_enter(unsigned cpu, uint32_t vcpus);

/* Time-window mode: the BSP's deadline, tsc_cycles after its start. */
void window_arm(uint64_t start_tsc, uint64_t tsc_cycles);

/* Time-window mode, called between chunks of work: whether the window has closed. */
int window_closed(unsigned cpu);

#endif
