/* See workloads.h. Integer-only and freestanding: built for the guest and, by the tests, for the host. */
#include "workloads.h"

#define COMPUTE_MULTIPLIER 0x5851F42D4C957F2DULL
#define COMPUTE_INCREMENT  0x14057B7EF767814FULL

/* Keeps the compiler from merging or dropping stores of one pass into the next. */
#define COMPILER_BARRIER() __asm__ __volatile__("" ::: "memory")

uint64_t memory_word(uint64_t index, uint64_t seed)
{
    return (index * MEMORY_WORD_MULTIPLIER) ^ seed;
}

void memory_fill(uint64_t *block, uint64_t words, uint64_t seed)
{
    for (uint64_t w = 0; w < words; w++)
        block[w] = memory_word(w, seed);
    COMPILER_BARRIER();
}

static uint64_t xorshift64(uint64_t x)
{
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
}

/* Maps a 64-bit random value onto [0, n) without a division: the high half of x * n. */
static uint64_t scale(uint64_t x, uint64_t n)
{
    return (uint64_t)(((unsigned __int128)x * n) >> 64);
}

/* One sequential pass over the block (write mode stores each word first); returns its sum. */
static uint64_t memory_pass(const struct memory_params *p, uint64_t *block, uint64_t words)
{
    uint64_t sum = 0;
    if (p->write) {
        for (uint64_t w = 0; w < words; w++) {
            uint64_t v = memory_word(w, p->seed);
            block[w] = v;
            sum += v;
        }
    } else {
        for (uint64_t w = 0; w < words; w++)
            sum += block[w];
    }
    COMPILER_BARRIER();
    return sum;
}

static uint64_t memory_rnd(const struct memory_params *p, uint64_t *block, uint64_t words, uint64_t *state,
                           uint64_t accesses)
{
    uint64_t sum = 0;
    uint64_t x = *state;
    for (uint64_t a = 0; a < accesses; a++) {
        x = xorshift64(x);
        uint64_t w = scale(x, words);
        if (p->write) {
            uint64_t v = memory_word(w, p->seed);
            block[w] = v;
            sum += v;
        } else {
            sum += block[w];
        }
    }
    COMPILER_BARRIER();
    *state = x;
    return sum;
}

void memory_cursor_init(struct memory_cursor *c, const struct memory_params *p, unsigned vcpu)
{
    c->state = p->seed + vcpu;
    if (c->state == 0)
        c->state = XORSHIFT_ZERO_REPLACEMENT;
}

uint64_t memory_continue(const struct memory_params *p, uint64_t *block, struct memory_cursor *c, uint64_t bytes)
{
    uint64_t words = p->block_bytes / 8;
    if (p->random)
        return memory_rnd(p, block, words, &c->state, bytes / 8);
    uint64_t sum = 0;
    for (uint64_t pass = bytes / p->block_bytes; pass > 0; pass--)
        sum += memory_pass(p, block, words);
    return sum;
}

uint64_t memory_run(const struct memory_params *p, uint64_t *block, unsigned vcpu)
{
    struct memory_cursor c;
    memory_cursor_init(&c, p, vcpu);
    return memory_continue(p, block, &c, p->total_bytes);
}

static void lock_acquire(volatile uint64_t *lock)
{
    for (;;) {
        uint64_t old = 1;
        __asm__ __volatile__("lock xchgq %0, %1" : "+r"(old), "+m"(*lock) : : "memory");
        if (old == 0)
            return;
        while (*lock != 0)
            __asm__ __volatile__("pause" ::: "memory");
    }
}

static void lock_release(volatile uint64_t *lock)
{
    COMPILER_BARRIER();   /* x86 keeps stores in order: a plain store releases */
    *lock = 0;
}

void mutex_run(uint8_t *lock_base, uint8_t *counter_base, uint32_t locks, uint64_t iterations)
{
    for (uint64_t k = 0; k < iterations; k++) {
        uint32_t j = (uint32_t)(k % locks);
        volatile uint64_t *lock = (volatile uint64_t *)(lock_base + (uint64_t)j * MUTEX_LOCK_STRIDE);
        volatile uint64_t *counter = (volatile uint64_t *)(counter_base + (uint64_t)j * MUTEX_COUNTER_STRIDE);
        lock_acquire(lock);
        uint64_t c = *counter;   /* plain load + store on purpose: a broken lock loses updates */
        *counter = c + 1;
        lock_release(lock);
    }
}

uint64_t mutex_total(const uint8_t *counter_base, uint32_t locks)
{
    uint64_t total = 0;
    for (uint32_t j = 0; j < locks; j++)
        total += *(const volatile uint64_t *)(counter_base + (uint64_t)j * MUTEX_COUNTER_STRIDE);
    return total;
}

void falseshare_run(volatile uint64_t *counter, uint64_t iterations)
{
    for (uint64_t k = 0; k < iterations; k++)
        *counter = *counter + 1;
}

uint64_t compute_run(uint64_t iterations, uint64_t seed, unsigned vcpu)
{
    return compute_continue(seed + vcpu, iterations);
}

uint64_t compute_continue(uint64_t x, uint64_t iterations)
{
    for (uint64_t k = 0; k < iterations; k++) {
        x = x * COMPUTE_MULTIPLIER + COMPUTE_INCREMENT;
        x ^= x >> 33;
    }
    return x;
}
