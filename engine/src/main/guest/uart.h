/* Polled output on the COM1 16550 (transmit only). */
#ifndef GVM_UART_H
#define GVM_UART_H

#include <stdint.h>

void uart_putc(char c);
void uart_puts(const char *s);
void uart_put_u64(uint64_t v);
void uart_put_hex(uint64_t v);
/* Writes a "key=value" field preceded by a space. */
void uart_field(const char *key, uint64_t v);

#endif
