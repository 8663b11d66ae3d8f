/*
 * Host build of the guest's workload and command-line code, for the Java tests (not part of the guest).
 * Single-threaded: mutex runs each vCPU's loop one after another, which checks the arithmetic and
 * layout; real contention is exercised by booting the guest under QEMU.
 *
 *   host-harness memory BLOCK TOTAL WRITE(0|1) RANDOM(0|1) SEED VCPU   -> checksum
 *   host-harness memory-pieces BLOCK TOTAL WRITE(0|1) RANDOM(0|1) SEED VCPU -> checksum, one block per piece
 *                                                                         (as a time-window run does it)
 *   host-harness compute ITERATIONS SEED VCPU                          -> result
 *   host-harness compute-pieces ITERATIONS PIECE SEED VCPU             -> result, PIECE iterations at a time
 *   host-harness mutex LOCKS ITERATIONS VCPUS                          -> final counter total
 *   host-harness falseshare ITERATIONS                                 -> final counter
 *   host-harness cmdline 'vcpus=2 workload=...'                         -> "ok key=value..." or "error ..."
 *   host-harness tss     -> "rflags_user R" then, per cpu, "cpu I DESC0 DESC1 TSS BITMAP IOMAP_BASE NONZERO END"
 *                           (the GDT descriptor tss_setup wrote, addresses of the TSS and the shared bitmap,
 *                           the TSS's iomap_base, non-zero bitmap bytes, the byte after the bitmap)
 * Numbers are printed as unsigned decimals.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../config.h"
#include "../tss.h"
#include "../workloads.h"

static uint64_t arg(char **argv, int i) { return strtoull(argv[i], 0, 10); }

/* The whole of p->total_bytes one block at a time, as a time-window run does it. */
static uint64_t memory_in_pieces(const struct memory_params *p, uint64_t *block, unsigned vcpu)
{
    struct memory_cursor c;
    memory_cursor_init(&c, p, vcpu);
    uint64_t sum = 0;
    for (uint64_t done = 0; done < p->total_bytes; done += p->block_bytes)
        sum += memory_continue(p, block, &c, p->block_bytes);
    return sum;
}

static int usage(void)
{
    fprintf(stderr, "usage: host-harness memory|compute|mutex|falseshare|cmdline ARGS (see harness.c)\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    const char *cmd = argv[1];
    if ((!strcmp(cmd, "memory") || !strcmp(cmd, "memory-pieces")) && argc == 8) {
        struct memory_params p = { arg(argv, 2), arg(argv, 3), arg(argv, 6), (int)arg(argv, 4), (int)arg(argv, 5) };
        uint64_t words = p.block_bytes / 8;
        uint64_t *block = calloc(words, sizeof *block);
        if (!block)
            return 3;
        if (!p.write)
            memory_fill(block, words, p.seed);
        printf("%" PRIu64 "\n", strcmp(cmd, "memory") ? memory_in_pieces(&p, block, (unsigned)arg(argv, 7))
                                                      : memory_run(&p, block, (unsigned)arg(argv, 7)));
        free(block);
        return 0;
    }
    if (!strcmp(cmd, "compute-pieces") && argc == 6) {
        uint64_t x = arg(argv, 4) + arg(argv, 5);
        for (uint64_t done = 0; done < arg(argv, 2); done += arg(argv, 3))
            x = compute_continue(x, arg(argv, 3));
        printf("%" PRIu64 "\n", x);
        return 0;
    }
    if (!strcmp(cmd, "compute") && argc == 5) {
        printf("%" PRIu64 "\n", compute_run(arg(argv, 2), arg(argv, 3), (unsigned)arg(argv, 4)));
        return 0;
    }
    if (!strcmp(cmd, "mutex") && argc == 5) {
        uint32_t locks = (uint32_t)arg(argv, 2);
        uint8_t *lock_base = calloc(locks, MUTEX_LOCK_STRIDE);
        uint8_t *counter_base = calloc(locks, MUTEX_COUNTER_STRIDE);
        if (!lock_base || !counter_base)
            return 3;
        for (uint64_t v = 0; v < arg(argv, 4); v++)
            mutex_run(lock_base, counter_base, locks, arg(argv, 3));
        printf("%" PRIu64 "\n", mutex_total(counter_base, locks));
        return 0;
    }
    if (!strcmp(cmd, "falseshare") && argc == 3) {
        volatile uint64_t counter = 0;
        falseshare_run(&counter, arg(argv, 2));
        printf("%" PRIu64 "\n", (uint64_t)counter);
        return 0;
    }
    if (!strcmp(cmd, "cmdline") && argc == 3) {
        struct config c;
        const char *error = 0, *detail = 0;
        if (!config_parse(argv[2], &c, &error, &detail)) {
            printf("error %s%s%s\n", error, detail ? ": " : "", detail ? detail : "");
            return 0;
        }
        printf("ok vcpus=%u workload=%s block=%" PRIu64 " total=%" PRIu64 " mode=%s scope=%s access=%s"
               " locks=%u iterations=%" PRIu64 " layout=%s seed=%" PRIu64 " timer_hz=%u time_ms=%" PRIu64
               " tsc_khz=%" PRIu64 " data_end=%" PRIu64 "\n",
               c.vcpus, workload_name(c.workload), c.block, c.total, c.write ? "write" : "read",
               c.global ? "global" : "local", c.random ? "rnd" : "seq", c.locks, c.iterations,
               c.layout == FALSESHARE_PADDED ? "padded" : "packed", c.seed, c.timer_hz, c.time_ms, c.tsc_khz,
               config_data_end(&c));
        return 0;
    }
    if (!strcmp(cmd, "tss") && argc == 2) {
        printf("rflags_user %u\n", (unsigned)RFLAGS_USER);
        for (unsigned cpu = 0; cpu < MAX_CPUS; cpu++) {
            uint64_t desc[2];
            tss_setup(cpu, 0x1000 * (uint64_t)(cpu + 1), desc);
            unsigned nonzero = 0;
            for (unsigned i = 0; i < IO_BITMAP_BYTES; i++)
                nonzero += tss_block.io_bitmap[i] != 0;
            printf("cpu %u %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %u %u %u\n", cpu, desc[0], desc[1],
                   (uint64_t)(uintptr_t)&tss_block.tss[cpu], (uint64_t)(uintptr_t)tss_block.io_bitmap,
                   (unsigned)tss_block.tss[cpu].iomap_base, nonzero, (unsigned)tss_block.io_bitmap_end);
        }
        return 0;
    }
    return usage();
}
