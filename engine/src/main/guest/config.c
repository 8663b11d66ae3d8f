/*
 * Command-line parser. Mirrors io.giantvm.engine.guest.WorkloadSpec: same keys, defaults and ranges,
 * and keys that do not apply to the chosen workload are errors (as unknown CLI options are).
 */
#include "config.h"
#include "layout.h"
#include "workloads.h"

#define MAX_ITERATIONS   1000000000000ULL   /* 1e12 */
#define MAX_BLOCK        (1ULL << 30)
#define MAX_TOTAL        (1ULL << 40)
#define MAX_LOCKS        1024
#define MAX_TIMER_HZ     10000
#define MAX_TIME_MS      3600000ULL         /* a time window of at most an hour */
#define MAX_TSC_KHZ      100000000ULL       /* 100 GHz */

enum key {
    K_VCPUS, K_WORKLOAD, K_BLOCK, K_TOTAL, K_MODE, K_SCOPE, K_ACCESS, K_LOCKS, K_ITERATIONS, K_LAYOUT,
    K_SEED, K_TIMER_HZ, K_CRASH, K_TIME_MS, K_TSC_KHZ, K_COUNT
};

static const char *const key_names[K_COUNT] = {
    "vcpus", "workload", "block", "total", "mode", "scope", "access", "locks", "iterations", "layout",
    "seed", "timer_hz", "crash", "time_ms", "tsc_khz",
};

/* Bit w set: key applies to workload w (bit 0: every workload). */
#define ALL (1u << 0)
#define MEM (1u << WORKLOAD_MEMORY)
#define MTX (1u << WORKLOAD_MUTEX)
#define FSH (1u << WORKLOAD_FALSESHARE)
#define CMP (1u << WORKLOAD_COMPUTE)
static const uint32_t key_scope[K_COUNT] = {
    ALL, ALL, MEM, MEM, MEM, MEM, MEM, MTX, MTX | FSH | CMP, FSH, ALL, ALL, ALL, ALL, ALL,
};

static const char *const workload_names[] = { "?", "memory", "mutex", "falseshare", "compute" };

const char *workload_name(uint32_t workload)
{
    return workload <= WORKLOAD_COMPUTE ? workload_names[workload] : "?";
}

/* Compares the token span [s, end) with a NUL-terminated word. */
static int span_is(const char *s, const char *end, const char *word)
{
    while (s < end && *word && *s == *word) {
        s++;
        word++;
    }
    return s == end && *word == 0;
}

static int parse_u64(const char *s, const char *end, uint64_t *out)
{
    if (s == end)
        return 0;
    uint64_t v = 0;
    for (; s < end; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        uint64_t d = (uint64_t)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    *out = v;
    return 1;
}

/* Copies a token into a static buffer so error messages can name it. */
static const char *token_copy(const char *s, const char *end)
{
    static char buf[64];
    unsigned n = 0;
    while (s < end && n < sizeof buf - 1)
        buf[n++] = *s++;
    buf[n] = 0;
    return buf;
}

static void set_defaults(struct config *cfg)
{
    cfg->vcpus = 0;
    cfg->workload = 0;
    cfg->block = 65536;
    cfg->total = 67108864;
    cfg->write = 1;
    cfg->global = 0;
    cfg->random = 0;
    cfg->locks = 1;
    cfg->iterations = 0;   /* per-workload default, filled in after parsing */
    cfg->layout = FALSESHARE_PACKED;
    cfg->seed = 1;
    cfg->timer_hz = 0;
    cfg->crash = CRASH_NONE;
    cfg->time_ms = 0;
    cfg->tsc_khz = 0;
}

#define FAIL(msg, tok) do { *error = (msg); *detail = (tok); return 0; } while (0)

static int parse_value(enum key k, const char *v, const char *end, struct config *cfg, const char **error,
                       const char **detail)
{
    uint64_t n = 0;
    switch (k) {
    case K_WORKLOAD:
        for (uint32_t w = WORKLOAD_MEMORY; w <= WORKLOAD_COMPUTE; w++)
            if (span_is(v, end, workload_names[w])) {
                cfg->workload = w;
                return 1;
            }
        FAIL("unknown workload (memory, mutex, falseshare, compute)", token_copy(v, end));
    case K_MODE:
        if (span_is(v, end, "read") || span_is(v, end, "write")) {
            cfg->write = span_is(v, end, "write");
            return 1;
        }
        FAIL("mode must be read or write", token_copy(v, end));
    case K_SCOPE:
        if (span_is(v, end, "local") || span_is(v, end, "global")) {
            cfg->global = span_is(v, end, "global");
            return 1;
        }
        FAIL("scope must be local or global", token_copy(v, end));
    case K_ACCESS:
        if (span_is(v, end, "seq") || span_is(v, end, "rnd")) {
            cfg->random = span_is(v, end, "rnd");
            return 1;
        }
        FAIL("access must be seq or rnd", token_copy(v, end));
    case K_LAYOUT:
        if (span_is(v, end, "packed") || span_is(v, end, "padded")) {
            cfg->layout = span_is(v, end, "padded") ? FALSESHARE_PADDED : FALSESHARE_PACKED;
            return 1;
        }
        FAIL("layout must be packed or padded", token_copy(v, end));
    case K_CRASH:
        if (span_is(v, end, "exception") || span_is(v, end, "triple")) {
            cfg->crash = span_is(v, end, "triple") ? CRASH_TRIPLE : CRASH_EXCEPTION;
            return 1;
        }
        FAIL("crash must be exception or triple", token_copy(v, end));
    default:
        break;
    }
    if (!parse_u64(v, end, &n))
        FAIL("value is not a decimal number", token_copy(v, end));
    switch (k) {
    case K_VCPUS:
        if (n < 1 || n > MAX_CPUS)
            FAIL("vcpus must be 1..64", token_copy(v, end));
        cfg->vcpus = (uint32_t)n;
        break;
    case K_BLOCK:
        if (n < 8 || n > MAX_BLOCK || n % 8 != 0)
            FAIL("block must be a multiple of 8 in 8..1073741824", token_copy(v, end));
        cfg->block = n;
        break;
    case K_TOTAL:
        if (n < 8 || n > MAX_TOTAL)
            FAIL("total must be in 8..1099511627776", token_copy(v, end));
        cfg->total = n;
        break;
    case K_LOCKS:
        if (n < 1 || n > MAX_LOCKS)
            FAIL("locks must be 1..1024", token_copy(v, end));
        cfg->locks = (uint32_t)n;
        break;
    case K_ITERATIONS:
        if (n < 1 || n > MAX_ITERATIONS)
            FAIL("iterations must be 1..1000000000000", token_copy(v, end));
        cfg->iterations = n;
        break;
    case K_SEED:
        cfg->seed = n;
        break;
    case K_TIMER_HZ:
        if (n > MAX_TIMER_HZ)
            FAIL("timer_hz must be 0..10000", token_copy(v, end));
        cfg->timer_hz = (uint32_t)n;
        break;
    case K_TIME_MS:
        if (n < 1 || n > MAX_TIME_MS)
            FAIL("time_ms must be 1..3600000", token_copy(v, end));
        cfg->time_ms = n;
        break;
    case K_TSC_KHZ:
        if (n < 1 || n > MAX_TSC_KHZ)
            FAIL("tsc_khz must be 1..100000000", token_copy(v, end));
        cfg->tsc_khz = n;
        break;
    default:
        break;
    }
    return 1;
}

int config_parse(const char *cmdline, struct config *cfg, const char **error, const char **detail)
{
    uint32_t seen = 0;
    set_defaults(cfg);
    const char *s = cmdline;
    int first = 1;
    for (;;) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == 0)
            break;
        const char *tok = s, *eq = 0;
        while (*s && *s != ' ' && *s != '\t') {
            if (*s == '=' && eq == 0)
                eq = s;
            s++;
        }
        if (eq == 0) {
            /* GRUB and QEMU put the image's path first; skip that one bare word. */
            if (first) {
                first = 0;
                continue;
            }
            FAIL("expected key=value", token_copy(tok, s));
        }
        first = 0;
        enum key k = K_COUNT;
        for (int i = 0; i < K_COUNT; i++)
            if (span_is(tok, eq, key_names[i]))
                k = (enum key)i;
        if (k == K_COUNT)
            FAIL("unknown key", token_copy(tok, eq));
        if (seen & (1u << k))
            FAIL("key given twice", token_copy(tok, eq));
        seen |= 1u << k;
        if (!parse_value(k, eq + 1, s, cfg, error, detail))
            return 0;
    }
    if (!(seen & (1u << K_VCPUS)))
        FAIL("missing vcpus=N", 0);
    if (!(seen & (1u << K_WORKLOAD)))
        FAIL("missing workload=memory|mutex|falseshare|compute", 0);
    for (int i = 0; i < K_COUNT; i++)
        if ((seen & (1u << i)) && !(key_scope[i] & (ALL | (1u << cfg->workload))))
            FAIL("key does not apply to this workload", key_names[i]);
    if (cfg->workload == WORKLOAD_MEMORY && (cfg->total < cfg->block || cfg->total % cfg->block != 0))
        FAIL("total must be a positive multiple of block", 0);
    if (cfg->time_ms && (seen & ((1u << K_ITERATIONS) | (1u << K_TOTAL))))
        FAIL("time_ms runs for a time, not a count: it excludes", (seen & (1u << K_TOTAL)) ? "total" : "iterations");
    if (cfg->time_ms && !cfg->tsc_khz)
        FAIL("time_ms needs tsc_khz (the engine appends it)", 0);
    if (!(seen & (1u << K_ITERATIONS)))
        cfg->iterations = cfg->workload == WORKLOAD_MUTEX ? 100000
                        : cfg->workload == WORKLOAD_FALSESHARE ? 1000000 : 100000000;
    return 1;
}

static uint64_t round_up(uint64_t v, uint64_t to) { return (v + to - 1) / to * to; }

uint64_t config_data_end(const struct config *cfg)
{
    switch (cfg->workload) {
    case WORKLOAD_MEMORY:
        return DATA_BASE + (cfg->global ? 1 : cfg->vcpus) * round_up(cfg->block, HUGE_PAGE);
    case WORKLOAD_MUTEX:
        return DATA_BASE + round_up((uint64_t)cfg->locks * MUTEX_LOCK_STRIDE, PAGE_SIZE)
             + (uint64_t)cfg->locks * MUTEX_COUNTER_STRIDE;
    case WORKLOAD_FALSESHARE:
        return DATA_BASE + (cfg->layout == FALSESHARE_PADDED ? (uint64_t)cfg->vcpus * PAGE_SIZE : PAGE_SIZE);
    default:
        return DATA_BASE;
    }
}
