/*
 * Ring-3 part of every cpu: the BSP parses the command line, prepares the data, starts the APs and
 * reports; every cpu runs its workload between two barriers and hands its record to the engine.
 * Nothing here needs ring 0: ports are granted by the TSS I/O bitmap (tss.h) and the APIC page is user-mapped.
 */
#include <stdint.h>
#include "arch.h"
#include "config.h"
#include "report.h"
#include "smp.h"
#include "tscprobe.h"
#include "window.h"
#include "uart.h"
#include "workloads.h"

struct multiboot_info {
    uint32_t flags;
    uint32_t mem_lower;
    uint32_t mem_upper;
    uint32_t boot_device;
    uint32_t cmdline;
};

extern uint32_t boot_magic, boot_info;
extern uint8_t kstacks[];
extern uint8_t idt[IDT_ENTRIES * 16];
extern const uint8_t pml4[], pagetables_end[];   /* pagetables.S */

static struct config cfg;
static volatile uint32_t cpus_done;
static struct gvm_report reports[MAX_CPUS];
static struct gvm_report summary;
static struct tsc_probe tsc_probes[MAX_CPUS];
static struct gvm_report probe_record;

/* Time-window mode: work between two looks at the stop word. Small enough that every vCPU stops within
 * microseconds on one node (one lock hand-over on several), large enough that the look costs nothing. */
#define CHUNK_MUTEX      64
#define CHUNK_FALSESHARE 1024
#define CHUNK_COMPUTE    4096

static uint64_t round_up(uint64_t v, uint64_t to) { return (v + to - 1) / to * to; }
static uint8_t *phys(uint64_t addr) { return (uint8_t *)(uintptr_t)addr; }

static uint64_t interrupts_of(unsigned cpu)
{
    return *(volatile uint64_t *)(kstacks + (uint64_t)cpu * KSTACK_SIZE + PERCPU_INTERRUPTS);
}

static uint64_t *memory_block(unsigned cpu)
{
    return (uint64_t *)phys(DATA_BASE + (cfg.global ? 0 : cpu * round_up(cfg.block, HUGE_PAGE)));
}

static uint8_t *mutex_locks(void) { return phys(DATA_BASE); }
static uint8_t *mutex_counters(void)
{
    return phys(DATA_BASE + round_up((uint64_t)cfg.locks * MUTEX_LOCK_STRIDE, PAGE_SIZE));
}

static volatile uint64_t *falseshare_counter(unsigned cpu)
{
    uint64_t stride = cfg.layout == FALSESHARE_PADDED ? PAGE_SIZE : sizeof(uint64_t);
    return (volatile uint64_t *)phys(DATA_BASE + cpu * stride);
}

static void zero(uint8_t *p, uint64_t bytes)
{
    for (uint64_t i = 0; i < bytes; i++)
        ((volatile uint8_t *)p)[i] = 0;
}

/* Shared data, prepared by the BSP before any AP exists. */
static void prepare_shared(void)
{
    if (cfg.workload == WORKLOAD_MUTEX || cfg.workload == WORKLOAD_FALSESHARE)
        zero(phys(DATA_BASE), config_data_end(&cfg) - DATA_BASE);
    if (cfg.workload == WORKLOAD_MEMORY && !cfg.write && cfg.global)
        memory_fill(memory_block(0), cfg.block / 8, cfg.seed);
}

/* Per-cpu data, prepared by its own cpu before the start barrier (so untimed). */
static void prepare_own(unsigned cpu)
{
    if (cfg.workload == WORKLOAD_MEMORY && !cfg.write && !cfg.global)
        memory_fill(memory_block(cpu), cfg.block / 8, cfg.seed);
}

static void timer_start(void)
{
    if (cfg.timer_hz == 0)
        return;
    lapic_write(LAPIC_TIMER_DIVIDE, LAPIC_DIVIDE_BY_1);
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_PERIODIC | VEC_TIMER);
    lapic_write(LAPIC_TIMER_INITIAL, (uint32_t)(LAPIC_TIMER_HZ / cfg.timer_hz));
}

static void timer_stop(void)
{
    if (cfg.timer_hz == 0)
        return;
    lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | VEC_TIMER);
    lapic_write(LAPIC_TIMER_INITIAL, 0);
}

static void touch(const void *p) { (void)*(const volatile uint8_t *)p; }

static void touch_range(const void *start, uint64_t bytes)
{
    for (uint64_t off = 0; off < bytes; off += PAGE_SIZE)
        touch((const uint8_t *)start + off);
}

/* Reads (never writes) every page this cpu's workload will use, so that its first accesses inside the
 * window are not page fetches from another node (a read leaves the other copies where they are). */
static void pretouch(unsigned cpu)
{
    touch((const void *)mutex_run);
    touch((const void *)memory_continue);
    touch((const void *)falseshare_run);
    touch((const void *)compute_continue);
    touch((const void *)window_closed);
    switch (cfg.workload) {
    case WORKLOAD_MEMORY:
        touch_range(memory_block(cpu), cfg.block);
        break;
    case WORKLOAD_MUTEX:
        touch_range(mutex_locks(), (uint64_t)cfg.locks * MUTEX_LOCK_STRIDE);
        touch_range(mutex_counters(), (uint64_t)cfg.locks * MUTEX_COUNTER_STRIDE);
        break;
    case WORKLOAD_FALSESHARE:
        touch((const void *)falseshare_counter(cpu));
        break;
    default:
        break;
    }
}

struct outcome {
    uint64_t operations, checksum;
};

/* Runs the configured count of work. */
static struct outcome run_counted(unsigned cpu, const struct memory_params *mp)
{
    switch (cfg.workload) {
    case WORKLOAD_MEMORY:
        return (struct outcome){ cfg.total, memory_run(mp, memory_block(cpu), cpu) };
    case WORKLOAD_MUTEX:
        mutex_run(mutex_locks(), mutex_counters(), cfg.locks, cfg.iterations);
        return (struct outcome){ cfg.iterations, 0 };
    case WORKLOAD_FALSESHARE:
        falseshare_run(falseshare_counter(cpu), cfg.iterations);
        return (struct outcome){ cfg.iterations, *falseshare_counter(cpu) };
    default:
        return (struct outcome){ cfg.iterations, compute_run(cfg.iterations, cfg.seed, cpu) };
    }
}

/* Runs chunks of work until the window closes; operations count what was done, as sysbench's events. */
static struct outcome run_timed(unsigned cpu, const struct memory_params *mp)
{
    struct outcome o = { 0, 0 };
    struct memory_cursor cursor;
    uint64_t x = cfg.seed + cpu;
    memory_cursor_init(&cursor, mp, cpu);
    do {
        switch (cfg.workload) {
        case WORKLOAD_MEMORY:
            o.checksum += memory_continue(mp, memory_block(cpu), &cursor, cfg.block);
            o.operations += cfg.block;
            break;
        case WORKLOAD_MUTEX:
            mutex_run(mutex_locks(), mutex_counters(), cfg.locks, CHUNK_MUTEX);
            o.operations += CHUNK_MUTEX;
            break;
        case WORKLOAD_FALSESHARE:
            falseshare_run(falseshare_counter(cpu), CHUNK_FALSESHARE);
            o.operations += CHUNK_FALSESHARE;
            break;
        default:
            x = compute_continue(x, CHUNK_COMPUTE);
            o.operations += CHUNK_COMPUTE;
            break;
        }
    } while (!window_closed(cpu));
    if (cfg.workload == WORKLOAD_FALSESHARE)
        o.checksum = *falseshare_counter(cpu);
    else if (cfg.workload == WORKLOAD_COMPUTE)
        o.checksum = x;
    return o;
}

static void run_workload(unsigned cpu)
{
    struct gvm_report *r = &reports[cpu];
    struct memory_params mp = { cfg.block, cfg.total, cfg.seed, cfg.write, cfg.random };

    pretouch(cpu);
    window_enter(cpu, cfg.vcpus);
    timer_start();
    uint64_t t0 = rdtsc();
    if (cfg.time_ms && cpu == 0)
        window_arm(t0, cfg.time_ms * cfg.tsc_khz);
    struct outcome o = cfg.time_ms ? run_timed(cpu, &mp) : run_counted(cpu, &mp);
    uint64_t t1 = rdtsc();
    timer_stop();

    r->magic = REPORT_MAGIC;
    r->kind = REPORT_KIND_VCPU;
    r->vcpu = cpu;
    r->workload = cfg.workload;
    r->operations = o.operations;
    r->tsc_cycles = t1 - t0;
    r->checksum = o.checksum;
    r->interrupts = interrupts_of(cpu);
    r->extra0 = cfg.workload == WORKLOAD_MEMORY ? cfg.block
              : cfg.workload == WORKLOAD_MUTEX ? cfg.locks
              : cfg.workload == WORKLOAD_FALSESHARE ? cfg.layout : 0;
    r->extra1 = t0;
    report_send(r);
}

static void wait_until(volatile uint32_t *counter, uint32_t value)
{
    /* Unbounded on purpose: workloads run as long as their parameters say; the engine has the timeout. */
    while (*counter < value)
        cpu_pause();
}

static __attribute__((noreturn)) void ap_main(unsigned cpu)
{
    atomic_inc(&cpus_alive);
    prepare_own(cpu);
    tsc_probe_answer(cpu);
    run_workload(cpu);
    atomic_inc(&cpus_done);
    for (;;)
        cpu_pause();   /* the BSP ends the VM */
}

static __attribute__((noreturn)) void fail(const char *what, const char *detail, uint32_t status)
{
    uart_puts("guest: ");
    uart_puts(what);
    if (detail) {
        uart_puts(": ");
        uart_puts(detail);
    }
    uart_puts("\nguest: exit ");
    uart_put_u64(status);
    uart_putc('\n');
    guest_exit(status);
}

/* Test hook (crash=...): lets a VMM's tests see a guest exception or a triple fault on purpose. */
static void crash(uint32_t how)
{
    uart_puts(how == CRASH_TRIPLE ? "guest: crashing on purpose (triple fault)\n"
                                  : "guest: crashing on purpose (exception)\n");
    if (how == CRASH_TRIPLE)
        zero(idt, sizeof idt);   /* #UD -> gate not present -> #NP -> #DF not present -> shutdown */
    __asm__ __volatile__("ud2");
}

static void print_config(void)
{
    uart_puts("guest: workload ");
    uart_puts(workload_name(cfg.workload));
    uart_field("vcpus", cfg.vcpus);
    switch (cfg.workload) {
    case WORKLOAD_MEMORY:
        uart_field("block", cfg.block);
        uart_field("total", cfg.total);
        uart_puts(cfg.write ? " mode=write" : " mode=read");
        uart_puts(cfg.global ? " scope=global" : " scope=local");
        uart_puts(cfg.random ? " access=rnd" : " access=seq");
        break;
    case WORKLOAD_MUTEX:
        uart_field("locks", cfg.locks);
        break;
    case WORKLOAD_FALSESHARE:
        uart_puts(cfg.layout == FALSESHARE_PADDED ? " layout=padded" : " layout=packed");
        break;
    default:
        break;
    }
    if (cfg.time_ms)
        uart_field("time_ms", cfg.time_ms);
    else if (cfg.workload != WORKLOAD_MEMORY)
        uart_field("iterations", cfg.iterations);
    uart_field("seed", cfg.seed);
    uart_field("timer_hz", cfg.timer_hz);
    if (cfg.crash != CRASH_NONE)
        uart_puts(cfg.crash == CRASH_TRIPLE ? " crash=triple" : " crash=exception");
    uart_putc('\n');
}

static uint32_t summarise(void)
{
    uint32_t status = EXIT_OK;
    summary.magic = REPORT_MAGIC;
    summary.kind = REPORT_KIND_SUMMARY;
    summary.vcpu = cfg.vcpus;
    summary.workload = cfg.workload;
    for (uint32_t i = 0; i < cfg.vcpus; i++) {
        const struct gvm_report *r = &reports[i];
        summary.operations += r->operations;
        if (r->tsc_cycles > summary.tsc_cycles)
            summary.tsc_cycles = r->tsc_cycles;
        summary.checksum += r->checksum;
        summary.interrupts += r->interrupts;
        summary.extra0 = r->extra0;
        report_print(r);
        if (cfg.workload == WORKLOAD_FALSESHARE && r->checksum != r->operations) {
            uart_puts("guest: self-check failed: falseshare counter of cpu ");
            uart_put_u64(i);
            uart_puts(" is ");
            uart_put_u64(r->checksum);
            uart_putc('\n');
            status = EXIT_SELF_CHECK;
        }
    }
    for (uint32_t i = 1; i < cfg.vcpus; i++) {
        struct gvm_report *p = &probe_record;
        p->magic = REPORT_MAGIC;
        p->kind = REPORT_KIND_TSC_PROBE;
        p->vcpu = i;
        p->workload = cfg.workload;
        p->operations = tsc_probes[i].t1;
        p->tsc_cycles = tsc_probes[i].t2;
        p->checksum = tsc_probes[i].t3;
        p->interrupts = p->extra0 = p->extra1 = 0;
        report_print(p);
        report_send(p);
    }
    if (cfg.workload == WORKLOAD_MUTEX) {
        summary.checksum = mutex_total(mutex_counters(), cfg.locks);
        uint64_t expected = summary.operations;   /* every acquisition incremented once */
        uart_puts("guest: mutex counter ");
        uart_put_u64(summary.checksum);
        uart_puts(" expected ");
        uart_put_u64(expected);
        uart_puts(summary.checksum == expected ? " ok\n" : " MISMATCH (lost updates)\n");
        if (summary.checksum != expected)
            status = EXIT_SELF_CHECK;
    }
    report_print(&summary);
    return status;
}

void __attribute__((noreturn)) user_main(unsigned cpu)
{
    if (cpu != 0)
        ap_main(cpu);

    cpus_alive = 1;
    uart_puts("guest: giantvm test guest v1\n");
    if (boot_magic != MB_BOOT_MAGIC)
        fail("not started by a multiboot loader (EAX != 0x2BADB002)", 0, EXIT_BAD_CMDLINE);
    const struct multiboot_info *mbi = (const struct multiboot_info *)(uintptr_t)boot_info;
    if (!(mbi->flags & MB_INFO_CMDLINE) || !(mbi->flags & MB_INFO_MEM))
        fail("multiboot info lacks the command line or memory size", 0, EXIT_BAD_CMDLINE);
    const char *cmdline = (const char *)(uintptr_t)mbi->cmdline;
    uart_puts("guest: cmdline: ");
    uart_puts(cmdline);
    uart_putc('\n');

    const char *error = 0, *detail = 0;
    if (!config_parse(cmdline, &cfg, &error, &detail))
        fail(error, detail, EXIT_BAD_CMDLINE);
    uint64_t ram_end = 0x100000 + (uint64_t)mbi->mem_upper * 1024;
    if (ram_end < MIN_RAM_BYTES)
        fail("less than 32 MiB of RAM", 0, EXIT_BAD_CMDLINE);
    if (config_data_end(&cfg) > ram_end)
        fail("workload data does not fit in RAM", 0, EXIT_BAD_CMDLINE);
    print_config();

    prepare_shared();
    /* Before any other cpu walks them: from here on every node keeps its own copy of the page tables. */
    outl(PORT_STATIC_PAGES, (uint32_t)(uintptr_t)pml4);
    outl(PORT_STATIC_PAGES + 4, (uint32_t)(pagetables_end - pml4));
    int stage = 0;
    uint32_t missing = smp_start(cfg.vcpus, &stage);
    if (missing != 0) {
        uart_puts("guest: cpu ");
        uart_put_u64(missing);
        uart_puts(stage ? " did not start: stuck after the trampoline\n"
                        : " did not start: never reached the trampoline\n");
        uart_puts("guest: exit 4\n");
        guest_exit(EXIT_AP_FAILED);
    }
    uart_puts("guest: ");
    uart_put_u64(cfg.vcpus);
    uart_puts(" cpus up\n");

    if (cfg.crash != CRASH_NONE)
        crash(cfg.crash);
    prepare_own(0);
    tsc_probe_all(cfg.vcpus, tsc_probes);
    run_workload(0);
    atomic_inc(&cpus_done);
    wait_until(&cpus_done, cfg.vcpus);

    uint32_t status = summarise();
    report_send(&summary);
    uart_puts("guest: exit ");
    uart_put_u64(status);
    uart_putc('\n');
    guest_exit(status);
}
