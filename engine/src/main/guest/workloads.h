/*
 * The four workloads, as pure functions over memory they are handed. No ports, no APIC, no globals:
 * the same file is compiled for the host by the Java tests (host/harness.c) to prove that
 * io.giantvm.engine.guest.ExpectedChecksums computes exactly what the guest computes.
 */
#ifndef GVM_WORKLOADS_H
#define GVM_WORKLOADS_H

#include <stdint.h>

#define WORKLOAD_MEMORY     1
#define WORKLOAD_MUTEX      2
#define WORKLOAD_FALSESHARE 3
#define WORKLOAD_COMPUTE    4

/* Word w of a memory block holds (w * MEMORY_WORD_MULTIPLIER) ^ seed. */
#define MEMORY_WORD_MULTIPLIER 0x9E3779B97F4A7C15ULL
/* xorshift64 has 0 as a fixed point; a zero start state (seed + vcpu == 0) is replaced by this. */
#define XORSHIFT_ZERO_REPLACEMENT 0x9E3779B97F4A7C15ULL

struct memory_params {
    uint64_t block_bytes;   /* multiple of 8 */
    uint64_t total_bytes;   /* per vCPU, multiple of block_bytes */
    uint64_t seed;
    int write;              /* 1 write, 0 read */
    int random;             /* 1 rnd, 0 seq */
};

uint64_t memory_word(uint64_t index, uint64_t seed);
/* Writes every word of a block with its value (read mode's initialisation). */
void memory_fill(uint64_t *block, uint64_t words, uint64_t seed);
/* Runs the memory workload of one vCPU over its block; returns the checksum. */
uint64_t memory_run(const struct memory_params *p, uint64_t *block, unsigned vcpu);

/* The same access sequence in pieces, for time-window runs: memory_run(p) returns exactly what
 * memory_cursor_init followed by memory_continue calls adding up to total_bytes return (their sum).
 * bytes: a multiple of block_bytes. */
struct memory_cursor {
    uint64_t state;   /* rnd: xorshift64 state */
};
void memory_cursor_init(struct memory_cursor *c, const struct memory_params *p, unsigned vcpu);
uint64_t memory_continue(const struct memory_params *p, uint64_t *block, struct memory_cursor *c, uint64_t bytes);

/* Lock j lives at lock_base + j * MUTEX_LOCK_STRIDE, its counter at counter_base + j * MUTEX_COUNTER_STRIDE. */
#define MUTEX_LOCK_STRIDE    64
#define MUTEX_COUNTER_STRIDE 4096
void mutex_run(uint8_t *lock_base, uint8_t *counter_base, uint32_t locks, uint64_t iterations);
uint64_t mutex_total(const uint8_t *counter_base, uint32_t locks);

void falseshare_run(volatile uint64_t *counter, uint64_t iterations);

uint64_t compute_run(uint64_t iterations, uint64_t seed, unsigned vcpu);
/* compute_run(n, seed, vcpu) == compute_continue(seed + vcpu, n); pieces chain through the returned x. */
uint64_t compute_continue(uint64_t x, uint64_t iterations);

#endif
