/* The 64-byte record handed to the engine through the bench port (CONTRACT.md, "Devices"). */
#ifndef GVM_REPORT_H
#define GVM_REPORT_H

#include <stdint.h>
#include "layout.h"

struct gvm_report {
    uint32_t magic;
    uint32_t kind;
    uint32_t vcpu;
    uint32_t workload;
    uint64_t operations;
    uint64_t tsc_cycles;
    uint64_t checksum;
    uint64_t interrupts;
    uint64_t extra0;
    uint64_t extra1;
} __attribute__((aligned(64)));

_Static_assert(sizeof(struct gvm_report) == REPORT_BYTES, "report record is 64 bytes");

/* Hands the record to the engine: one 32-bit out of its guest-physical address (< 4 GiB). */
void report_send(const struct gvm_report *r);
/* Prints the record as one parseable UART line: "report kind=.. vcpu=.. workload=.. ...". */
void report_print(const struct gvm_report *r);

#endif
