/* Thin wrappers around the x86 instructions the guest needs. Usable from ring 0 and ring 3 (ring 3: ports granted by the TSS I/O bitmap). */
#ifndef GVM_ARCH_H
#define GVM_ARCH_H

#include <stdint.h>
#include "layout.h"

static inline void outb(uint16_t port, uint8_t v) { __asm__ __volatile__("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ __volatile__("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ __volatile__("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* rdtsc that waits for earlier loads and stores: a reading that must follow what this cpu has seen. */
static inline uint64_t rdtsc_ordered(void)
{
    __asm__ __volatile__("mfence; lfence" ::: "memory");
    return rdtsc();
}

static inline void cpu_pause(void) { __asm__ __volatile__("pause" ::: "memory"); }

static inline uint32_t atomic_inc(volatile uint32_t *p)
{
    uint32_t v = 1;
    __asm__ __volatile__("lock xaddl %0, %1" : "+r"(v), "+m"(*p) : : "memory");
    return v + 1;
}

static inline uint32_t lapic_read(uint32_t reg) { return *(volatile uint32_t *)(uintptr_t)(LAPIC_BASE + reg); }
static inline void lapic_write(uint32_t reg, uint32_t v) { *(volatile uint32_t *)(uintptr_t)(LAPIC_BASE + reg) = v; }

/* Ends the VM with the given status (debug-exit device). Never returns. */
static inline __attribute__((noreturn)) void guest_exit(uint32_t status)
{
    outl(PORT_DEBUG_EXIT, status);
    for (;;)
        cpu_pause();   /* the VMM stops us; ring 3 cannot hlt */
}

#endif
