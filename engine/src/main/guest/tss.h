/*
 * The 64-bit TSS of every cpu, and the one I/O permission bitmap they all share.
 *
 * Why a bitmap at all: ring 3 does the guest's port I/O (UART, debug-exit, bench device). On hardware
 * VT-x/AMD-V, RFLAGS.IOPL=3 would be enough, but a KVM backed by PVM checks ring-3 port I/O against the
 * TSS I/O permission bitmap whatever IOPL says (#GP otherwise). So ring 3 runs with IOPL=0 on every KVM
 * and only this bitmap grants the ports: all 65536 of them (an all-zero bitmap), which every KVM honours
 * the same way. That keeps the path PVM hosts need exercised on all of them.
 *
 * Layout: the TSSs of all cpus, then the bitmap, then the 0xFF byte the architecture requires after the
 * bitmap's last byte (an access may read two bitmap bytes). Each cpu's iomap_base is the offset from its
 * own TSS to the shared bitmap, and each TSS's limit reaches the 0xFF byte. Keeping one shared bitmap
 * (8 KiB) instead of one per cpu keeps the image small (64 cpus x 8 KiB would not fit below 3 MiB).
 * Pure data plus one pure function, so the host harness checks exactly the code the guest runs.
 */
#ifndef GVM_TSS_H
#define GVM_TSS_H

#include <stdint.h>
#include "layout.h"

struct tss64 {
    uint32_t reserved0;
    uint64_t rsp0;
    uint64_t rsp1;
    uint64_t rsp2;
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss64) == 104, "64-bit TSS is 104 bytes");

#define IO_BITMAP_BYTES 8192   /* one bit per port, 65536 ports; a 0 bit allows the port */

struct tss_block {
    struct tss64 tss[MAX_CPUS];
    uint8_t io_bitmap[IO_BITMAP_BYTES];
    uint8_t io_bitmap_end;     /* must be 0xFF */
} __attribute__((packed));

_Static_assert(sizeof(((struct tss_block *)0)->tss) + IO_BITMAP_BYTES <= 0xFFFF,
               "iomap_base is 16 bits: the bitmap must lie within 64 KiB of every TSS");

#define TSS_AVAILABLE  0x89    /* present, DPL 0, available 64-bit TSS */

/* Initialised data, not bss: the 0xFF end byte comes with the image, so no cpu ever stores into the
 * bitmap's page (on several nodes each such store would be a DSM write fault). */
extern struct tss_block tss_block;

/* Fills cpu's TSS (ring-0 stack top rsp0, offset of the shared I/O bitmap) and writes its 16-byte GDT
 * descriptor, whose limit covers the bitmap and its end byte, to desc[0..1]. */
void tss_setup(unsigned cpu, uint64_t rsp0, uint64_t desc[2]);

#endif
