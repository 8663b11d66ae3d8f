/* The run configuration parsed from the kernel command line (see CONTRACT.md, "Command line"). */
#ifndef GVM_CONFIG_H
#define GVM_CONFIG_H

#include <stdint.h>

#define FALSESHARE_PACKED 0
#define FALSESHARE_PADDED 1

#define CRASH_NONE      0
#define CRASH_EXCEPTION 1   /* ud2 on the BSP: reported by the guest, exit status 3 */
#define CRASH_TRIPLE    2   /* IDT wiped, then ud2: a triple fault (shutdown) the VMM must report */

struct config {
    uint32_t vcpus;
    uint32_t workload;        /* WORKLOAD_* */
    uint64_t block;
    uint64_t total;
    int write;                /* memory mode */
    int global;               /* memory scope */
    int random;               /* memory access */
    uint32_t locks;
    uint64_t iterations;
    uint32_t layout;          /* FALSESHARE_* */
    uint64_t seed;
    uint32_t timer_hz;        /* 0 = LAPIC timer off */
    uint32_t crash;           /* CRASH_*: test hook for the VMM's crash handling */
    uint64_t time_ms;         /* > 0: time-window mode, every vCPU runs until the stop word (else a count) */
    uint64_t tsc_khz;         /* the TSC rate, from the engine: turns time_ms into cycles */
};

/* Parses cmdline into cfg. On error returns 0 and points *error at a message (with *detail naming the
 * offending token, or 0). */
int config_parse(const char *cmdline, struct config *cfg, const char **error, const char **detail);

/* End (exclusive guest-physical address) of the workload data for this configuration. */
uint64_t config_data_end(const struct config *cfg);

const char *workload_name(uint32_t workload);

#endif
