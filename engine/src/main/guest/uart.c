#include "uart.h"
#include "arch.h"

/* Each byte costs two port accesses (a VM exit each under KVM), so output is kept short. */
void uart_putc(char c)
{
    if (c == '\n')
        uart_putc('\r');
    while ((inb(PORT_UART_LSR) & UART_LSR_THRE) == 0)
        cpu_pause();
    outb(PORT_UART, (uint8_t)c);
}

void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

void uart_put_u64(uint64_t v)
{
    char buf[21];
    int i = sizeof buf - 1;
    buf[i] = 0;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    uart_puts(&buf[i]);
}

void uart_put_hex(uint64_t v)
{
    char buf[19];
    int i = sizeof buf - 1;
    buf[i] = 0;
    do {
        buf[--i] = "0123456789abcdef"[v & 0xF];
        v >>= 4;
    } while (v != 0);
    buf[--i] = 'x';
    buf[--i] = '0';
    uart_puts(&buf[i]);
}

void uart_field(const char *key, uint64_t v)
{
    uart_putc(' ');
    uart_puts(key);
    uart_putc('=');
    uart_put_u64(v);
}
