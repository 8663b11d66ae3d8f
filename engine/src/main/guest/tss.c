/* See tss.h. Runs in ring 0 once per cpu (emulated on PVM hosts, so: no loops). */
#include "tss.h"

struct tss_block tss_block __attribute__((aligned(16))) = { .io_bitmap_end = 0xFF };

void tss_setup(unsigned cpu, uint64_t rsp0, uint64_t desc[2])
{
    struct tss64 *t = &tss_block.tss[cpu];
    t->rsp0 = rsp0;
    t->iomap_base = (uint16_t)(tss_block.io_bitmap - (uint8_t *)t);

    uint64_t base = (uint64_t)(uintptr_t)t;
    uint64_t limit = t->iomap_base + IO_BITMAP_BYTES;   /* inclusive: covers the 0xFF end byte */
    desc[0] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | ((uint64_t)TSS_AVAILABLE << 40)
            | (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
    desc[1] = base >> 32;
}
