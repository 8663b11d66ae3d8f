/*
 * Identity map of the low 4 GiB with 2 MiB pages, every level User-accessible (ring-3 workloads touch
 * all of RAM, the AP trampoline and the APIC page). Built by the assembler so ring 0 spends no time on it.
 * The 2 MiB page holding the local APIC is uncached (PCD|PWT). 4 GiB covers all of RAM: multiboot's
 * mem_upper is contiguous from 1 MiB and so ends below the APIC.
 *
 * Accessed (and, in leaves, Dirty) are set from the start, so that no page walk ever writes an entry:
 * under shadow paging (PVM) or EPT without A/D the walker would otherwise store into these pages on first
 * use, and in a VM spread over several nodes every such store is a DSM write fault that takes the page
 * table away from the other nodes.
 *
 * The tables never change after boot, and main.c declares [pml4, pagetables_end) static before it starts
 * the other cpus: on AMD's nested paging every page walk counts as a write to the tables, so a shared copy
 * would still bounce between nodes on each TLB miss; a private copy per node does not move at all.
 */
#include "layout.h"

#define LEAF  (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D | PTE_PS)
#define TABLE (PTE_P | PTE_RW | PTE_US | PTE_A)

        .data
        .balign PAGE_SIZE
        .globl pml4
pml4:
        .quad   pdpt + TABLE
        .fill   511, 8, 0

        .balign PAGE_SIZE
pdpt:
        .quad   pd + 0 * PAGE_SIZE + TABLE
        .quad   pd + 1 * PAGE_SIZE + TABLE
        .quad   pd + 2 * PAGE_SIZE + TABLE
        .quad   pd + 3 * PAGE_SIZE + TABLE
        .fill   512 - IDENTITY_MAP_PDS, 8, 0

        .balign PAGE_SIZE
pd:
        .set    page, 0
        .rept   IDENTITY_MAP_PDS * 512
        .if     page == LAPIC_PDE_INDEX
        .quad   (page * HUGE_PAGE) + LEAF + PTE_PCD + PTE_PWT
        .else
        .quad   (page * HUGE_PAGE) + LEAF
        .endif
        .set    page, page + 1
        .endr
        .globl pagetables_end
pagetables_end:
