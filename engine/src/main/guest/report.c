#include "report.h"
#include "arch.h"
#include "uart.h"

void report_send(const struct gvm_report *r)
{
    __asm__ __volatile__("" ::: "memory");   /* the record must be in memory before the exit */
    outl(PORT_BENCH, (uint32_t)(uintptr_t)r);
}

void report_print(const struct gvm_report *r)
{
    uart_puts("report");
    uart_field("kind", r->kind);
    uart_field("vcpu", r->vcpu);
    uart_field("workload", r->workload);
    uart_field("operations", r->operations);
    uart_field("tsc_cycles", r->tsc_cycles);
    uart_field("checksum", r->checksum);
    uart_field("interrupts", r->interrupts);
    uart_field("extra0", r->extra0);
    uart_field("extra1", r->extra1);
    uart_putc('\n');
}
