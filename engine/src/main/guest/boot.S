/*
 * Boot path, shared by the BSP (multiboot entry) and the APs (after the real-mode trampoline):
 * 32-bit protected mode -> long mode -> own ring-0 stack -> cpu_init() in C.
 * Everything here runs in ring 0, which our host emulates instruction by instruction, so the path is
 * kept short: the page tables are built by the assembler (pagetables.S), not by a loop at run time.
 */
#include "layout.h"

        .section .multiboot, "a"
        .balign 4
multiboot_header:
        .long MB_HEADER_MAGIC
        .long MB_HEADER_FLAGS
        .long -(MB_HEADER_MAGIC + MB_HEADER_FLAGS)
        .long multiboot_header          /* header_addr */
        .long image_start               /* load_addr: file offset 0 is loaded here */
        .long image_load_end            /* load_end_addr */
        .long image_end                 /* bss_end_addr: the loader zeroes up to here */
        .long _start                    /* entry_addr */

        .text
        .code32
        .globl _start
_start:
        /* Multiboot state: flat 32-bit segments, paging off, IF=0, EAX=magic, EBX=info. */
        movl    %eax, boot_magic
        movl    %ebx, boot_info
        lgdtl   gdt_pointer
        movw    $SEL_KDATA, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %ss
        xorl    %esi, %esi              /* esi = 0: this is the BSP */
        jmp     enter_long_mode

        /* APs arrive here from the trampoline with our GDT loaded and CS = SEL_KCODE32. */
        .globl ap_entry32
ap_entry32:
        movw    $SEL_KDATA, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %ss
        movl    $1, %esi                /* esi = 1: an AP */

enter_long_mode:
        movl    %cr4, %eax
        orl     $CR4_PAE, %eax
        movl    %eax, %cr4
        movl    $pml4, %eax
        movl    %eax, %cr3
        movl    $MSR_EFER, %ecx
        rdmsr
        orl     $EFER_LME, %eax
        wrmsr
        movl    %cr0, %eax
        orl     $(CR0_PG | CR0_PE), %eax
        movl    %eax, %cr0
        ljmpl   $SEL_KCODE64, $long_mode_entry

        .code64
long_mode_entry:
        movw    $SEL_KDATA, %ax
        movw    %ax, %ds
        movw    %ax, %es
        movw    %ax, %ss
        xorl    %eax, %eax
        movw    %ax, %fs
        movw    %ax, %gs
        xorl    %edi, %edi              /* the BSP is cpu 0 by contract */
        testl   %esi, %esi
        jz      1f
        movl    $(LAPIC_BASE + LAPIC_ID), %eax
        movl    (%rax), %edi
        shrl    $24, %edi               /* an AP takes the cpu index = its APIC id */
        cmpl    $MAX_CPUS, %edi
        jae     bad_apic_id
1:
        /* rsp = top of this cpu's ring-0 stack; its bottom holds the per-cpu header. */
        movl    %edi, %eax
        shll    $KSTACK_SHIFT, %eax
        leaq    kstacks(%rax), %rbx
        movq    %rdi, PERCPU_CPU(%rbx)
        leaq    KSTACK_SIZE(%rbx), %rsp
        call    cpu_init                /* does not return: ends in ring 3 */
bad_apic_id:
        hlt
        jmp     bad_apic_id

        /* enter_user(rip, rsp, arg): iretq to ring 3 with IOPL=0 and IF=1 (ports: the TSS I/O bitmap), arg in rdi. */
        .globl enter_user
enter_user:
        movq    %rdi, %rax
        movq    %rdx, %rdi
        xorl    %ecx, %ecx
        movw    %cx, %ds
        movw    %cx, %es
        pushq   $SEL_UDATA
        pushq   %rsi
        pushq   $RFLAGS_USER
        pushq   $SEL_UCODE64
        pushq   %rax
        iretq

        .section .rodata
        .balign 8
        .globl gdt_pointer
gdt_pointer:
        .word   GDT_BYTES - 1
        .long   gdt

        .data
        .balign 16
        .globl gdt
gdt:
        .quad   0                       /* null */
        .quad   0x00AF9A000000FFFF      /* 0x08 ring-0 code, 64-bit */
        .quad   0x00CF92000000FFFF      /* 0x10 ring-0 data, flat */
        .quad   0x00CF9A000000FFFF      /* 0x18 ring-0 code, 32-bit flat (AP trampoline) */
        .quad   0x00CFF2000000FFFF      /* 0x20 ring-3 data, flat */
        .quad   0x00AFFA000000FFFF      /* 0x28 ring-3 code, 64-bit */
        .fill   MAX_CPUS * 2, 8, 0      /* 64-bit TSS descriptors, written by each cpu in cpu_init */

        .globl boot_magic, boot_info
        .balign 4
boot_magic:     .long 0
boot_info:      .long 0

        .bss
        .balign KSTACK_SIZE
        .globl kstacks
kstacks:
        .skip   MAX_CPUS * KSTACK_SIZE
