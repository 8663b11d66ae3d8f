/* The run configuration parsed from the kernel command line (see CONTRACT.md, "Command line"). */
#ifndef GVM_CONFIG_H
#define GVM_CONFIG_H

#include <stdint.h>

#define FALSESHARE_PACKED 0
#define FALSESHARE_PADDED 1

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
};

/* Parses cmdline into cfg. On error returns 0 and points *error at a message (with *detail naming the
 * offending token, or 0). */
int config_parse(const char *cmdline, struct config *cfg, const char **error, const char **detail);

/* End (exclusive guest-physical address) of the workload data for this configuration. */
uint64_t config_data_end(const struct config *cfg);

const char *workload_name(uint32_t workload);

#endif
