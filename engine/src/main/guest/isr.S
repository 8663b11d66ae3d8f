/*
 * Interrupt and exception entry points (ring 0, emulated on our host: a handful of instructions each).
 * Interrupts (timer 0x20, kick 0x40, spurious 0xFF) count themselves in the per-cpu header at the
 * bottom of the ring-0 stack (rsp rounded down to KSTACK_SIZE), write EOI (not for spurious) and return.
 * Exceptions push a uniform frame and call exception_report(), which prints and ends the VM.
 */
#include "layout.h"

        .text
        .code64

.macro COUNT_INTERRUPT
        pushq   %rax
        movq    %rsp, %rax
        andq    $-KSTACK_SIZE, %rax
        incq    PERCPU_INTERRUPTS(%rax)
.endm

        .globl isr_timer, isr_kick, isr_spurious
isr_timer:
isr_kick:
        COUNT_INTERRUPT
        movl    $(LAPIC_BASE + LAPIC_EOI), %eax   /* zero-extended: 0xFEE000B0 */
        movl    $0, (%rax)
        popq    %rax
        iretq

isr_spurious:
        COUNT_INTERRUPT                           /* no EOI for the spurious vector */
        popq    %rax
        iretq

/* Exceptions 0..31. Those without a CPU-pushed error code push 0 so the frame is uniform. */
.macro EXCEPTION vector, has_error
        .balign 16
exception_\vector:
        .if \has_error == 0
        pushq   $0
        .endif
        pushq   $\vector
        jmp     exception_common
.endm

        EXCEPTION 0, 0
        EXCEPTION 1, 0
        EXCEPTION 2, 0
        EXCEPTION 3, 0
        EXCEPTION 4, 0
        EXCEPTION 5, 0
        EXCEPTION 6, 0
        EXCEPTION 7, 0
        EXCEPTION 8, 1
        EXCEPTION 9, 0
        EXCEPTION 10, 1
        EXCEPTION 11, 1
        EXCEPTION 12, 1
        EXCEPTION 13, 1
        EXCEPTION 14, 1
        EXCEPTION 15, 0
        EXCEPTION 16, 0
        EXCEPTION 17, 1
        EXCEPTION 18, 0
        EXCEPTION 19, 0
        EXCEPTION 20, 0
        EXCEPTION 21, 1
        EXCEPTION 22, 0
        EXCEPTION 23, 0
        EXCEPTION 24, 0
        EXCEPTION 25, 0
        EXCEPTION 26, 0
        EXCEPTION 27, 0
        EXCEPTION 28, 0
        EXCEPTION 29, 1
        EXCEPTION 30, 1
        EXCEPTION 31, 0

exception_common:
        /* Frame: [rsp]=vector [rsp+8]=error [rsp+16]=rip [rsp+24]=cs ... */
        movq    (%rsp), %rdi
        movq    8(%rsp), %rsi
        movq    16(%rsp), %rdx
        movq    %rsp, %rcx
        andq    $-KSTACK_SIZE, %rcx
        movq    PERCPU_CPU(%rcx), %rcx
        andq    $-16, %rsp
        call    exception_report          /* does not return */
1:      hlt
        jmp     1b

        .section .rodata
        .balign 8
        .globl exception_entries
exception_entries:
        .irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
        .quad   exception_\v
        .endr
