/*
 * Checks the VM's one TSC from inside: the BSP and each AP in turn pass a token through shared memory,
 * reading their TSCs around it (BSP t1, then AP t2, then BSP t3). Causality says t1 <= t2 <= t3 if both
 * read one clock; an AP whose TSC is off by s gives t2 - t3 < s < t2 - t1. The engine turns the records
 * into the skew it prints. Runs before the workloads' window, so it costs none of their time.
 */
#ifndef GVM_TSCPROBE_H
#define GVM_TSCPROBE_H

#include <stdint.h>

struct tsc_probe {
    uint64_t t1, t2, t3;
};

/* BSP: probes APs 1..vcpus-1 in order, filling probes[1..vcpus-1]. */
void tsc_probe_all(uint32_t vcpus, struct tsc_probe *probes);

/* AP: waits for its turn and answers it. */
void tsc_probe_answer(unsigned cpu);

#endif
