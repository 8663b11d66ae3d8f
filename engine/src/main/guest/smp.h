/* Starting the application processors (runs in ring 3 on the BSP; the APIC page is user-mapped). */
#ifndef GVM_SMP_H
#define GVM_SMP_H

#include <stdint.h>

/* Counts cpus that reached ring 3 (the BSP counts itself). */
extern volatile uint32_t cpus_alive;

/* Starts APs 1..vcpus-1 one by one; returns 0 or the APIC id of the first AP that did not come up,
 * with *stage = 0 if it never reached the trampoline, 1 if it stopped between trampoline and ring 3. */
uint32_t smp_start(uint32_t vcpus, int *stage);

#endif
