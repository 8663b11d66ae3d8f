/*
 * Every address, port, selector, vector and size the guest uses, in one place.
 * Included by both C and assembly (.S) files, so only #defines outside the C-only block.
 * Must agree with CONTRACT.md and with io.giantvm.engine.guest.GuestAbi on the Java side.
 */
#ifndef GVM_LAYOUT_H
#define GVM_LAYOUT_H

/* Guest-physical memory. */
#define LOAD_ADDR           0x00100000      /* image is linked and loaded here (1 MiB) */
#define IMAGE_MAX_END       0x00300000      /* image (incl. bss) must stay below 1 MiB + 2 MiB */
#define TRAMPOLINE_ADDR     0x00008000      /* AP real-mode entry; SIPI vector = addr >> 12 */
#define TRAMPOLINE_SEGMENT  0x0800
#define SIPI_VECTOR         0x08
#define DATA_BASE           0x01000000      /* workload data starts at 16 MiB */
#define MIN_RAM_BYTES       0x02000000      /* 32 MiB */
#define HUGE_PAGE           0x00200000      /* 2 MiB identity-mapped pages */
#define PAGE_SIZE           4096
#define CACHE_LINE          64
#define IDENTITY_MAP_PDS    4               /* page directories: 4 x 1 GiB = all of the low 4 GiB */

/* Local APIC (xAPIC MMIO). */
#define LAPIC_BASE          0xFEE00000
#define LAPIC_PDE_INDEX     (LAPIC_BASE / HUGE_PAGE)   /* 2039: mapped uncached */
#define LAPIC_ID            0x020
#define LAPIC_EOI           0x0B0
#define LAPIC_SVR           0x0F0
#define LAPIC_ICR_LOW       0x300
#define LAPIC_ICR_HIGH      0x310
#define LAPIC_LVT_TIMER     0x320
#define LAPIC_LVT_LINT0     0x350
#define LAPIC_LVT_LINT1     0x360
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_DIVIDE  0x3E0
#define LAPIC_TIMER_HZ      1000000000ULL   /* timer input clock, before the divider (as KVM and QEMU) */

#define LAPIC_SVR_ENABLE    0x100
#define LAPIC_LVT_MASKED    0x10000
#define LAPIC_LVT_PERIODIC  0x20000
#define LAPIC_DIVIDE_BY_1   0xB
#define ICR_INIT            0x00004500      /* delivery mode 101, level assert, physical, no shorthand */
#define ICR_STARTUP         0x00004600      /* delivery mode 110 | vector */
#define ICR_FIXED           0x00004000      /* delivery mode 000 | vector */
#define ICR_BUSY            0x00001000      /* delivery status */

/* Interrupt vectors. */
#define VEC_TIMER           0x20
#define VEC_KICK            0x40
#define VEC_SPURIOUS        0xFF
#define IDT_ENTRIES         256

/* I/O ports. */
#define PORT_UART           0x3F8
#define PORT_UART_LSR       (PORT_UART + 5)
#define UART_LSR_THRE       0x20
#define PORT_DEBUG_EXIT     0xF4
#define PORT_BENCH          0x0B00
/* Static pages: write a guest-physical address to +0, then a byte length to +4; the engine then keeps a
 * private copy of those pages on every node (the guest promises never to write them again). */
#define PORT_STATIC_PAGES   0x0B10

/* Exit statuses written to PORT_DEBUG_EXIT. */
#define EXIT_OK             0
#define EXIT_BAD_CMDLINE    2
#define EXIT_EXCEPTION      3
#define EXIT_AP_FAILED      4
#define EXIT_SELF_CHECK     5

/* Segment selectors (GDT order: null, kcode64, kdata, kcode32, udata, ucode64, TSS[0..MAX_CPUS)). */
#define SEL_KCODE64         0x08
#define SEL_KDATA           0x10
#define SEL_KCODE32         0x18
#define SEL_UDATA           0x23            /* 0x20 | RPL 3 */
#define SEL_UCODE64         0x2B            /* 0x28 | RPL 3 */
#define SEL_TSS0            0x30            /* TSS of cpu i at 0x30 + 16 * i (16-byte descriptors) */
#define GDT_FIXED_ENTRIES   6
#define GDT_BYTES           (GDT_FIXED_ENTRIES * 8 + MAX_CPUS * 16)

/* CPUs and stacks. */
#define MAX_CPUS            64
#define KSTACK_SHIFT        12
#define KSTACK_SIZE         (1 << KSTACK_SHIFT) /* ring-0 stack per cpu, aligned to its size (see PERCPU_*) */
#define USTACK_SIZE         16384           /* ring-3 stack per cpu */
/* The bottom of each ring-0 stack holds that cpu's header; an interrupt handler finds it as
 * rsp & ~(KSTACK_SIZE-1) without touching any register but the one it saved. */
#define PERCPU_CPU          0               /* u64: cpu index (= APIC id) */
#define PERCPU_INTERRUPTS   8               /* u64: interrupts taken */
#define PERCPU_HEADER_BYTES 16

/* Multiboot v1. */
#define MB_HEADER_MAGIC     0x1BADB002
#define MB_HEADER_FLAGS     0x00010002      /* bit 16: a.out kludge addresses valid; bit 1: memory info */
#define MB_BOOT_MAGIC       0x2BADB002
#define MB_INFO_MEM         0x1
#define MB_INFO_CMDLINE     0x4

/* Control registers and MSRs used on the way to long mode. */
#define CR0_PE              0x00000001
#define CR0_PG              0x80000000
#define CR4_PAE             0x00000020
#define MSR_EFER            0xC0000080
#define EFER_LME            0x00000100
#define RFLAGS_USER         0x0202          /* IOPL=0, IF=1, reserved bit 1: ports come from the TSS I/O bitmap (tss.h) */
#define RFLAGS_IOPL_MASK    0x3000

/* Page table entry bits. */
#define PTE_P               0x001
#define PTE_RW              0x002
#define PTE_US              0x004
#define PTE_PWT             0x008
#define PTE_PCD             0x010
#define PTE_A               0x020
#define PTE_D               0x040
#define PTE_PS              0x080

/* Bench report record. */
#define REPORT_MAGIC        0x524D5647      /* "GVMR" */
#define REPORT_KIND_VCPU    1
#define REPORT_KIND_SUMMARY 2
#define REPORT_KIND_TSC_PROBE 3       /* BSP t1, AP t2, BSP t3 around a token pass (tscprobe.h) */
#define REPORT_BYTES        64

#endif
