/*
 * AP start-up code. The BSP copies the bytes between trampoline_start and trampoline_end to
 * TRAMPOLINE_ADDR (0x8000) and sends STARTUP IPIs with vector 0x08, so an AP begins here in real mode
 * with CS=0x0800, IP=0. It counts itself in (so the BSP can tell "never ran" from "stuck later"),
 * loads the BSP's GDT, sets CR0.PE and far-jumps to ap_entry32 in the image, which shares the BSP's
 * path to long mode and page tables. Only the real-mode part has to live below 1 MiB.
 */
#include "layout.h"

        .section .rodata
        .code16
        .globl trampoline_start, trampoline_end, trampoline_checkin_offset
trampoline_start:
        cli
        cld
        movw    %cs, %ax
        movw    %ax, %ds
        lock incl (trampoline_checkin - trampoline_start)
        lgdtl   (trampoline_gdtr - trampoline_start)
        movl    %cr0, %eax
        orl     $CR0_PE, %eax
        movl    %eax, %cr0
        ljmpl   $SEL_KCODE32, $ap_entry32

        .balign 8
trampoline_gdtr:
        .word   GDT_BYTES - 1
        .long   gdt
        .balign 4
trampoline_checkin:
        .long   0                       /* APs that reached the trampoline (counted in the copy) */
trampoline_end:

        .balign 4
trampoline_checkin_offset:
        .long   trampoline_checkin - trampoline_start
        .code64
