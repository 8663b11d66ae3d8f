/*
 * Ring 0: per-cpu set-up (IDT, TSS, local APIC) and the exception reporter. Everything else runs in
 * ring 3. Ring-0 code is emulated on our host (~1000x slower), so this file stays small and loop-free
 * except for the BSP's 35 IDT gates.
 */
#include <stdint.h>
#include "arch.h"
#include "tss.h"
#include "uart.h"

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate is 16 bytes");

#define GATE_INTERRUPT 0x8E   /* present, DPL 0, 64-bit interrupt gate (IF cleared on entry) */

extern uint8_t gdt[];
extern uint8_t kstacks[];
extern const uint64_t exception_entries[32];
extern void isr_timer(void), isr_kick(void), isr_spurious(void);
extern __attribute__((noreturn)) void enter_user(void (*rip)(unsigned), uint64_t rsp, uint64_t arg);
extern __attribute__((noreturn)) void user_main(unsigned cpu);

struct idt_gate idt[IDT_ENTRIES] __attribute__((aligned(16)));   /* user-writable, like all memory */
static uint8_t ustacks[MAX_CPUS][USTACK_SIZE] __attribute__((aligned(PAGE_SIZE)));

static void idt_set(unsigned vector, uint64_t handler)
{
    struct idt_gate *g = &idt[vector];
    g->offset_low = (uint16_t)handler;
    g->selector = SEL_KCODE64;
    g->ist = 0;
    g->type_attr = GATE_INTERRUPT;
    g->offset_mid = (uint16_t)(handler >> 16);
    g->offset_high = (uint32_t)(handler >> 32);
    g->reserved = 0;
}

static void idt_build(void)
{
    for (unsigned v = 0; v < 32; v++)
        idt_set(v, exception_entries[v]);
    idt_set(VEC_TIMER, (uint64_t)isr_timer);
    idt_set(VEC_KICK, (uint64_t)isr_kick);
    idt_set(VEC_SPURIOUS, (uint64_t)isr_spurious);
}

static void tss_load(unsigned cpu)
{
    uint64_t *desc = (uint64_t *)(gdt + SEL_TSS0 + 16 * cpu);
    tss_setup(cpu, (uint64_t)(kstacks + (uint64_t)(cpu + 1) * KSTACK_SIZE), desc);
    uint16_t sel = (uint16_t)(SEL_TSS0 + 16 * cpu);
    __asm__ __volatile__("ltr %0" : : "r"(sel) : "memory");
}

void __attribute__((noreturn)) cpu_init(unsigned cpu)
{
    if (cpu == 0)
        idt_build();   /* APs start only after the BSP is in ring 3, so the IDT is complete by then */
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) idtr = { sizeof idt - 1, (uint64_t)idt };
    __asm__ __volatile__("lidt %0" : : "m"(idtr));
    tss_load(cpu);

    /* Under QEMU the BIOS leaves LINT0 in ExtINT mode with the 8259 ticking at vector 8 (= #DF):
     * mask both LINTs so only our own vectors ever arrive. */
    lapic_write(LAPIC_LVT_LINT0, LAPIC_LVT_MASKED);
    lapic_write(LAPIC_LVT_LINT1, LAPIC_LVT_MASKED);
    lapic_write(LAPIC_SVR, LAPIC_SVR_ENABLE | VEC_SPURIOUS);

    /* As if user_main had been called: rsp + 8 is 16-byte aligned at function entry. */
    uint64_t user_rsp = (uint64_t)ustacks + (uint64_t)(cpu + 1) * USTACK_SIZE - 8;
    enter_user(user_main, user_rsp, cpu);
}

void __attribute__((noreturn)) exception_report(uint64_t vector, uint64_t error, uint64_t rip, uint64_t cpu)
{
    uint64_t cr2;
    __asm__ __volatile__("mov %%cr2, %0" : "=r"(cr2));
    uart_puts("\nguest: exception ");
    uart_put_u64(vector);
    uart_puts(" at ");
    uart_put_hex(rip);
    uart_puts(" on cpu ");
    uart_put_u64(cpu);
    uart_puts("\nguest: error code ");
    uart_put_hex(error);
    uart_puts(" cr2 ");
    uart_put_hex(cr2);
    uart_putc('\n');
    guest_exit(EXIT_EXCEPTION);
}
