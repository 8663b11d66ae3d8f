/*
 * Proves that /dev/kvm really runs guests, and measures how fast, in as few moving parts as possible.
 *
 *   real   1 vCPU in real mode: mov al,42; out 0x10,al; hlt  -> KVM_EXIT_IO(0x10, 42), KVM_EXIT_HLT
 *   long   1 vCPU in 64-bit long mode, identity paging, ring 3: a counting loop (iterations/s)
 *   exits  1 vCPU in ring 3 doing OUT in a loop: round trips guest -> user space -> guest per second
 *   smp    2 vCPUs in ring 3, each doing LOCK INC on one shared counter: the total must be exact
 *   irq    in-kernel irqchip: a halted vCPU (ring 0, IDT, LAPIC enabled) is woken by KVM_SIGNAL_MSI
 *          from another thread and runs its handler; the injection-to-handler latency is measured
 *   ipi    in-kernel irqchip, 2 vCPUs: vCPU 0 sends IPIs through its LAPIC's ICR to halted vCPU 1,
 *          waiting for each handler to count it in shared memory (IPI round trips per second)
 *
 * Usage: kvm-smoke [real|long|exits|smp|irq|ipi|all] [iterations]   (default: all)
 * Prints one "name: OK ..." line per test, then "OK"; exit 0 only if every test passed, 1 if one
 * failed, 2 on bad usage or when /dev/kvm cannot be opened. Built static so it runs anywhere:
 *   gcc -static -O2 -Wall -pthread -o kvm-smoke kvm-smoke.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* ---- guest physical memory layout (identity mapped in long mode) ---- */
#define MEM_SIZE      0x200000u   /* 2 MiB: exactly one large page */
#define GDT_ADDR      0x1000u
#define PML4_ADDR     0x2000u
#define PDPT_ADDR     0x3000u
#define PD_ADDR       0x4000u
#define PD_APIC_ADDR  0x5000u     /* maps the 2 MiB around the local APIC, for the irq test */
#define IDT_ADDR      0x6000u
#define REAL_CODE     0x8000u
#define LONG_CODE     0x10000u
#define COUNTER_ADDR  0x20000u
#define STACK_TOP     0x100000u

/* ---- I/O ports the guest code talks on ---- */
#define PORT_VALUE    0x10        /* real mode: carries the 42 */
#define PORT_TICK     0x20        /* exits test: one round trip each */
#define PORT_DONE     0x30        /* long mode tests: finished */
#define PORT_READY    0x31        /* irq test: LAPIC enabled, about to halt */
#define PORT_IRQ      0x40        /* irq test: the interrupt handler ran */

/* Local APIC: default physical base and the registers the irq test touches. */
#define APIC_BASE     0xfee00000u
#define IRQ_VECTOR    0x40

/* GDT selectors: index 1 = kernel code, 2 = kernel data; with RPL 3, 3 = user code, 4 = user data. */
#define SEL_KERNEL_CODE (1 << 3)
#define SEL_KERNEL_DATA (2 << 3)
#define SEL_USER_CODE (3 << 3 | 3)
#define SEL_USER_DATA (4 << 3 | 3)

#define WATCHDOG_SECONDS 300      /* no run may hang the VM it is proving */

/*
 * Guest code, assembled by gcc's assembler into .rodata and copied into guest memory.
 * The long mode entry points take their parameters in registers set through KVM_SET_REGS:
 * rcx = iterations, rbx = counter address; every loop ends with OUT to PORT_DONE.
 */
__asm__(
    ".pushsection .rodata\n"
    ".globl real_code, real_code_end\n"
    "real_code:\n"
    ".code16\n"
    "  mov $42, %al\n"
    "  out %al, $0x10\n"
    "  hlt\n"
    "real_code_end:\n"
    ".code64\n"
    ".globl long_code, long_code_end, loop_plain, loop_exits, loop_locked\n"
    "long_code:\n"
    "loop_plain:\n"
    "  xor %eax, %eax\n"
    "1: inc %rax\n"
    "  dec %rcx\n"
    "  jnz 1b\n"
    "  mov $0x30, %dx\n"
    "  out %al, %dx\n"
    "  ud2\n"
    "loop_exits:\n"
    "  mov $0x20, %dx\n"
    "2: out %al, %dx\n"
    "  dec %rcx\n"
    "  jnz 2b\n"
    "  mov $0x30, %dx\n"
    "  out %al, %dx\n"
    "  ud2\n"
    "loop_locked:\n"
    "3: lock incq (%rbx)\n"
    "  dec %rcx\n"
    "  jnz 3b\n"
    "  mov $0x30, %dx\n"
    "  out %al, %dx\n"
    "  ud2\n"
    /* irq test, ring 0: enable the LAPIC (SVR = enable | spurious vector 0xff), report, then
       halt with interrupts on; the handler reports each interrupt and sends EOI. */
    ".globl irq_main, irq_handler\n"
    "irq_main:\n"
    "  mov $0xfee000f0, %eax\n"
    "  movl $0x1ff, (%rax)\n"
    "  mov $0x31, %dx\n"
    "  out %al, %dx\n"
    "4: sti\n"
    "  hlt\n"
    "  jmp 4b\n"
    "irq_handler:\n"
    "  push %rax\n"
    "  push %rdx\n"
    "  lock incq 0x20000\n"          /* COUNTER_ADDR: the ipi test's sender waits on it */
    "  mov $0x40, %dx\n"
    "  out %al, %dx\n"
    "  mov $0xfee000b0, %eax\n"
    "  movl $0, (%rax)\n"
    "  pop %rdx\n"
    "  pop %rax\n"
    "  iretq\n"
    /* ipi test, ring 0 on vCPU 0: rcx = IPIs to send, rbx = counter the target's handler bumps. */
    ".globl ipi_sender\n"
    "ipi_sender:\n"
    "  mov $0xfee000f0, %eax\n"
    "  movl $0x1ff, (%rax)\n"
    "  xor %esi, %esi\n"
    "5: inc %rsi\n"
    "  mov $0xfee00310, %eax\n"     /* ICR high: destination APIC ID 1 */
    "  movl $0x01000000, (%rax)\n"
    "  mov $0xfee00300, %eax\n"     /* ICR low: vector 0x40, fixed, physical, assert; sends */
    "  movl $0x4040, (%rax)\n"
    "6: pause\n"
    "  cmp %rsi, (%rbx)\n"
    "  jb 6b\n"
    "  cmp %rcx, %rsi\n"
    "  jb 5b\n"
    "  mov $0x30, %dx\n"
    "  out %al, %dx\n"
    "  ud2\n"
    "long_code_end:\n"
    ".popsection\n");
extern const uint8_t real_code[], real_code_end[];
extern const uint8_t long_code[], long_code_end[], loop_plain[], loop_exits[], loop_locked[];
extern const uint8_t irq_main[], irq_handler[], ipi_sender[];

static int kvm_fd, vm_fd, run_size;
static uint8_t *mem;
static struct kvm_cpuid2 *cpuid;

static void die(const char *what) {
    fprintf(stderr, "kvm-smoke: %s: %s\n", what, strerror(errno));
    exit(1);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct vcpu {
    int fd;
    struct kvm_run *run;
};

static const char *exit_name(uint32_t reason) {
    switch (reason) {
    case KVM_EXIT_IO: return "IO";
    case KVM_EXIT_HLT: return "HLT";
    case KVM_EXIT_MMIO: return "MMIO";
    case KVM_EXIT_SHUTDOWN: return "SHUTDOWN (triple fault)";
    case KVM_EXIT_FAIL_ENTRY: return "FAIL_ENTRY";
    case KVM_EXIT_INTERNAL_ERROR: return "INTERNAL_ERROR";
    default: return "other";
    }
}

/* One fresh VM per test, so a test that wrecks its guest cannot affect the next one. */
static void vm_create(void) {
    vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
    if (vm_fd < 0) die("KVM_CREATE_VM");
    /* Only Intel needs it (real mode emulation), but it is harmless elsewhere; keep it above RAM. */
    if (ioctl(vm_fd, KVM_SET_TSS_ADDR, 0xfffbd000ul) < 0) die("KVM_SET_TSS_ADDR");
    mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED) die("mmap guest memory");
    struct kvm_userspace_memory_region region = {
        .slot = 0, .guest_phys_addr = 0, .memory_size = MEM_SIZE, .userspace_addr = (uintptr_t)mem,
    };
    if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) die("KVM_SET_USER_MEMORY_REGION");
}

static void vm_destroy(void) {
    munmap(mem, MEM_SIZE);
    close(vm_fd);
}

static struct vcpu vcpu_create(int id) {
    struct vcpu v;
    v.fd = ioctl(vm_fd, KVM_CREATE_VCPU, id);
    if (v.fd < 0) die("KVM_CREATE_VCPU");
    /* KVM refuses EFER.LME in KVM_SET_SREGS unless the guest's CPUID says long mode exists. */
    if (ioctl(v.fd, KVM_SET_CPUID2, cpuid) < 0) die("KVM_SET_CPUID2");
    v.run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v.fd, 0);
    if (v.run == MAP_FAILED) die("mmap kvm_run");
    return v;
}

static void vcpu_destroy(struct vcpu *v) {
    munmap(v->run, run_size);
    close(v->fd);
}

static int vcpu_run(struct vcpu *v) {
    if (ioctl(v->fd, KVM_RUN, 0) < 0) die("KVM_RUN");
    return v->run->exit_reason;
}

static int io_is(struct vcpu *v, uint16_t port) {
    return v->run->exit_reason == KVM_EXIT_IO && v->run->io.direction == KVM_EXIT_IO_OUT && v->run->io.port == port;
}

static void report_unexpected(const char *test, struct vcpu *v) {
    struct kvm_regs r;
    ioctl(v->fd, KVM_GET_REGS, &r);
    fprintf(stderr, "%s: FAILED: unexpected exit %s (%u), port 0x%x, rip 0x%llx\n", test,
            exit_name(v->run->exit_reason), v->run->exit_reason,
            v->run->exit_reason == KVM_EXIT_IO ? v->run->io.port : 0, (unsigned long long)r.rip);
}

static int test_real(void) {
    vm_create();
    memcpy(mem + REAL_CODE, real_code, real_code_end - real_code);
    struct vcpu v = vcpu_create(0);
    struct kvm_sregs s;
    if (ioctl(v.fd, KVM_GET_SREGS, &s) < 0) die("KVM_GET_SREGS");
    s.cs.base = 0;
    s.cs.selector = 0;
    if (ioctl(v.fd, KVM_SET_SREGS, &s) < 0) die("KVM_SET_SREGS");
    struct kvm_regs r = {.rip = REAL_CODE, .rflags = 0x2};
    if (ioctl(v.fd, KVM_SET_REGS, &r) < 0) die("KVM_SET_REGS");

    int ok = 0;
    vcpu_run(&v);
    if (!io_is(&v, PORT_VALUE) || v.run->io.size != 1) {
        report_unexpected("real", &v);
    } else {
        uint8_t value = *((uint8_t *)v.run + v.run->io.data_offset);
        if (value != 42) {
            fprintf(stderr, "real: FAILED: OUT 0x10 carried %u, expected 42\n", value);
        } else if (vcpu_run(&v) != KVM_EXIT_HLT) {
            report_unexpected("real", &v);
        } else {
            printf("real: OK (KVM_EXIT_IO port 0x10 value 42, then KVM_EXIT_HLT)\n");
            ok = 1;
        }
    }
    vcpu_destroy(&v);
    vm_destroy();
    return ok;
}

/* Page tables, GDT and code for ring 3 in long mode; identical for every test that uses it. */
static void long_mode_memory(void) {
    uint64_t *gdt = (uint64_t *)(mem + GDT_ADDR);
    gdt[0] = 0;
    gdt[1] = 0x00af9b000000ffffull; /* kernel code, 64-bit */
    gdt[2] = 0x00cf93000000ffffull; /* kernel data */
    gdt[3] = 0x00affb000000ffffull; /* user code, 64-bit, DPL 3 */
    gdt[4] = 0x00cff3000000ffffull; /* user data, DPL 3 */
    const uint64_t present_rw_user = 0x7, large_page = 0x80;
    ((uint64_t *)(mem + PML4_ADDR))[0] = PDPT_ADDR | present_rw_user;
    ((uint64_t *)(mem + PDPT_ADDR))[0] = PD_ADDR | present_rw_user;
    ((uint64_t *)(mem + PD_ADDR))[0] = 0 | present_rw_user | large_page;
    memcpy(mem + LONG_CODE, long_code, long_code_end - long_code);
    /* The LAPIC page (emulated by KVM, no memory slot behind it), uncached. */
    const uint64_t cache_disable = 0x10;
    ((uint64_t *)(mem + PDPT_ADDR))[APIC_BASE >> 30] = PD_APIC_ADDR | present_rw_user;
    ((uint64_t *)(mem + PD_APIC_ADDR))[(APIC_BASE >> 21) & 511] = APIC_BASE | present_rw_user | large_page | cache_disable;
    /* IDT entry for IRQ_VECTOR: 64-bit interrupt gate (type 0xe, present, DPL 0) to irq_handler. */
    uint64_t handler = LONG_CODE + (irq_handler - long_code);
    uint64_t *gate = (uint64_t *)(mem + IDT_ADDR + IRQ_VECTOR * 16);
    gate[0] = (handler & 0xffff) | (uint64_t)SEL_KERNEL_CODE << 16 | 0x8eull << 40 | (handler >> 16 & 0xffff) << 48;
    gate[1] = handler >> 32;
}

/*
 * Starts the vCPU directly in ring 3 of long mode: KVM loads segment state from KVM_SET_SREGS
 * without consulting the GDT, and CPL comes from SS.DPL. IOPL 3 lets ring 3 use OUT.
 */
static void enter_long_mode_ring(struct vcpu *v, const uint8_t *entry, uint64_t iterations, int ring) {
    struct kvm_sregs s;
    if (ioctl(v->fd, KVM_GET_SREGS, &s) < 0) die("KVM_GET_SREGS");
    struct kvm_segment code = {
        .base = 0, .limit = 0xffffffff, .selector = ring ? SEL_USER_CODE : SEL_KERNEL_CODE, .type = 11,
        .present = 1, .dpl = ring, .db = 0, .s = 1, .l = 1, .g = 1,
    };
    struct kvm_segment data = code;
    data.selector = ring ? SEL_USER_DATA : SEL_KERNEL_DATA;
    data.type = 3;
    data.db = 1;
    data.l = 0;
    s.cs = code;
    s.ds = s.es = s.fs = s.gs = s.ss = data;
    s.gdt.base = GDT_ADDR;
    s.gdt.limit = 5 * 8 - 1;
    s.idt.base = IDT_ADDR;
    s.idt.limit = 256 * 16 - 1;
    s.cr3 = PML4_ADDR;
    s.cr4 = 1u << 5;                                        /* PAE */
    s.cr0 = 1u << 0 | 1u << 1 | 1u << 4 | 1u << 5 | 1u << 16 | 1u << 31; /* PE MP ET NE WP PG */
    s.efer = 1u << 8 | 1u << 10;                            /* LME LMA */
    if (ioctl(v->fd, KVM_SET_SREGS, &s) < 0) die("KVM_SET_SREGS (long mode)");
    struct kvm_regs r = {
        .rip = LONG_CODE + (entry - long_code), .rsp = STACK_TOP, .rflags = 0x2 | 3u << 12,
        .rcx = iterations, .rbx = COUNTER_ADDR,
    };
    if (ioctl(v->fd, KVM_SET_REGS, &r) < 0) die("KVM_SET_REGS");
}

static void enter_long_mode(struct vcpu *v, const uint8_t *entry, uint64_t iterations) {
    enter_long_mode_ring(v, entry, iterations, 3);
}

static int test_long(uint64_t iterations) {
    vm_create();
    long_mode_memory();
    struct vcpu v = vcpu_create(0);
    enter_long_mode(&v, loop_plain, iterations);
    int ok = 0;
    double t0 = now();
    vcpu_run(&v);
    double dt = now() - t0;
    struct kvm_regs r;
    if (ioctl(v.fd, KVM_GET_REGS, &r) < 0) die("KVM_GET_REGS");
    if (!io_is(&v, PORT_DONE)) {
        report_unexpected("long", &v);
    } else if (r.rax != iterations || r.rcx != 0) {
        fprintf(stderr, "long: FAILED: rax=%llu rcx=%llu, expected %llu and 0\n",
                (unsigned long long)r.rax, (unsigned long long)r.rcx, (unsigned long long)iterations);
    } else {
        printf("long: OK (64-bit ring 3, %llu iterations in %.3f s = %.1f M iterations/s)\n",
               (unsigned long long)iterations, dt, iterations / dt / 1e6);
        ok = 1;
    }
    vcpu_destroy(&v);
    vm_destroy();
    return ok;
}

static int test_exits(uint64_t iterations) {
    vm_create();
    long_mode_memory();
    struct vcpu v = vcpu_create(0);
    enter_long_mode(&v, loop_exits, iterations);
    uint64_t ticks = 0;
    int ok = 0;
    double t0 = now();
    while (vcpu_run(&v) == KVM_EXIT_IO && io_is(&v, PORT_TICK)) ticks++;
    double dt = now() - t0;
    if (!io_is(&v, PORT_DONE)) {
        report_unexpected("exits", &v);
    } else if (ticks != iterations) {
        fprintf(stderr, "exits: FAILED: %llu OUT exits, expected %llu\n",
                (unsigned long long)ticks, (unsigned long long)iterations);
    } else {
        printf("exits: OK (%llu OUT exits to user space in %.3f s = %.0f exits/s, %.1f us each)\n",
               (unsigned long long)ticks, dt, ticks / dt, dt / ticks * 1e6);
        ok = 1;
    }
    vcpu_destroy(&v);
    vm_destroy();
    return ok;
}

struct smp_arg {
    struct vcpu v;
    int done;
};

static void *smp_thread(void *p) {
    struct smp_arg *a = p;
    vcpu_run(&a->v);
    a->done = io_is(&a->v, PORT_DONE);
    if (!a->done) report_unexpected("smp", &a->v);
    return NULL;
}

static int test_smp(uint64_t iterations) {
    enum { VCPUS = 2 };
    vm_create();
    long_mode_memory();
    *(volatile uint64_t *)(mem + COUNTER_ADDR) = 0;
    struct smp_arg args[VCPUS];
    pthread_t threads[VCPUS];
    for (int i = 0; i < VCPUS; i++) {
        args[i].v = vcpu_create(i);
        args[i].done = 0;
        enter_long_mode(&args[i].v, loop_locked, iterations);
    }
    double t0 = now();
    for (int i = 0; i < VCPUS; i++) {
        if (pthread_create(&threads[i], NULL, smp_thread, &args[i]) != 0) die("pthread_create");
    }
    for (int i = 0; i < VCPUS; i++) pthread_join(threads[i], NULL);
    double dt = now() - t0;
    uint64_t total = *(volatile uint64_t *)(mem + COUNTER_ADDR);
    int ok = args[0].done && args[1].done && total == VCPUS * iterations;
    if (args[0].done && args[1].done && !ok) {
        fprintf(stderr, "smp: FAILED: shared counter is %llu, expected %llu\n",
                (unsigned long long)total, (unsigned long long)(VCPUS * iterations));
    }
    if (ok) {
        printf("smp: OK (2 vCPUs x %llu LOCK INC on one counter = %llu in %.3f s, %.1f M increments/s)\n",
               (unsigned long long)iterations, (unsigned long long)total, dt, total / dt / 1e6);
    }
    for (int i = 0; i < VCPUS; i++) vcpu_destroy(&args[i].v);
    vm_destroy();
    return ok;
}

struct irq_vcpu {
    struct vcpu v;
    volatile int ready;          /* the guest enabled its LAPIC */
    volatile uint64_t handled;   /* interrupts whose handler ran */
    volatile double handled_at;  /* when the last one was seen, CLOCK_MONOTONIC seconds */
    uint64_t wanted;
    volatile int failed;
};

/* Runs a vCPU until it exits to user space through PORT_DONE, or anything unexpected. */
static void *run_to_done_thread(void *p) {
    struct irq_vcpu *a = p;
    vcpu_run(&a->v);
    if (!io_is(&a->v, PORT_DONE)) {
        report_unexpected("ipi", &a->v);
        a->failed = 1;
    }
    return NULL;
}

static void *irq_vcpu_thread(void *p) {
    struct irq_vcpu *a = p;
    while (a->handled < a->wanted) {
        vcpu_run(&a->v);
        if (io_is(&a->v, PORT_READY)) {
            __atomic_store_n(&a->ready, 1, __ATOMIC_RELEASE);
        } else if (io_is(&a->v, PORT_IRQ)) {
            a->handled_at = now();
            __atomic_store_n(&a->handled, a->handled + 1, __ATOMIC_RELEASE);
        } else {
            report_unexpected("irq", &a->v);
            a->failed = 1;
            __atomic_store_n(&a->ready, 1, __ATOMIC_RELEASE);
            break;
        }
    }
    return NULL;
}

/* Spins (politely) until *flag reaches want; 0 on timeout. */
static int wait_for(volatile uint64_t *flag, uint64_t want, double seconds) {
    double deadline = now() + seconds;
    while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) < want) {
        if (now() > deadline) return 0;
        struct timespec pause = {0, 20000};
        nanosleep(&pause, NULL);
    }
    return 1;
}

/* Waits for the guest to report its LAPIC enabled; 0 (after a message) if it never does. */
static int wait_ready(struct irq_vcpu *a, const char *test) {
    double deadline = now() + 30.0;
    while (!__atomic_load_n(&a->ready, __ATOMIC_ACQUIRE)) {
        if (now() > deadline) {
            fprintf(stderr, "%s: FAILED: the guest did not enable its LAPIC within 30 s\n", test);
            return 0;
        }
        struct timespec pause = {0, 1000000};
        nanosleep(&pause, NULL);
    }
    return !a->failed;
}

static int test_irq(uint64_t interrupts) {
    if (ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP) <= 0 ||
        ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SIGNAL_MSI) <= 0) {
        fprintf(stderr, "irq: FAILED: KVM lacks KVM_CAP_IRQCHIP or KVM_CAP_SIGNAL_MSI\n");
        return 0;
    }
    vm_create();
    /* The in-kernel LAPIC must exist before the vCPU is created. */
    if (ioctl(vm_fd, KVM_CREATE_IRQCHIP, 0) < 0) die("KVM_CREATE_IRQCHIP");
    long_mode_memory();
    struct irq_vcpu a = {.wanted = interrupts};
    a.v = vcpu_create(0);
    enter_long_mode_ring(&a.v, irq_main, 0, 0);
    pthread_t th;
    if (pthread_create(&th, NULL, irq_vcpu_thread, &a) != 0) die("pthread_create");

    int ok = 0;
    double total_latency = 0, worst = 0;
    uint64_t sent = 0;
    if (!wait_ready(&a, "irq")) return 0;
    for (; !a.failed && sent < interrupts; sent++) {
        /* Give the guest time to get back into HLT, so every MSI has to wake a halted vCPU. */
        struct timespec settle = {0, 2000000};
        nanosleep(&settle, NULL);
        /* Fixed delivery, edge, physical destination APIC ID 0. */
        struct kvm_msi msi = {.address_lo = APIC_BASE, .address_hi = 0, .data = IRQ_VECTOR};
        double t0 = now();
        if (ioctl(vm_fd, KVM_SIGNAL_MSI, &msi) < 0) die("KVM_SIGNAL_MSI");
        if (!wait_for(&a.handled, sent + 1, 10.0)) {
            fprintf(stderr, "irq: FAILED: interrupt %llu not handled within 10 s\n", (unsigned long long)sent + 1);
            a.failed = 1;
            break;
        }
        double latency = a.handled_at - t0;
        total_latency += latency;
        if (latency > worst) worst = latency;
    }
    if (!a.failed) {
        pthread_join(th, NULL);
        printf("irq: OK (%llu MSIs woke a halted vCPU and ran its IDT handler; latency avg %.1f us, worst %.1f us)\n",
               (unsigned long long)sent, total_latency / sent * 1e6, worst * 1e6);
        ok = 1;
    }
    /* On failure the vCPU thread may sit in KVM_RUN forever; the process exit reaps it. */
    if (ok) {
        vcpu_destroy(&a.v);
        vm_destroy();
    }
    return ok;
}

static int test_ipi(uint64_t ipis) {
    vm_create();
    if (ioctl(vm_fd, KVM_CREATE_IRQCHIP, 0) < 0) die("KVM_CREATE_IRQCHIP");
    long_mode_memory();
    *(volatile uint64_t *)(mem + COUNTER_ADDR) = 0;
    struct irq_vcpu sender = {.wanted = 0}, target = {.wanted = ipis};
    sender.v = vcpu_create(0);
    target.v = vcpu_create(1);
    /* With an in-kernel irqchip every vCPU but 0 starts waiting for INIT/SIPI, like a real AP. */
    struct kvm_mp_state runnable = {.mp_state = KVM_MP_STATE_RUNNABLE};
    if (ioctl(target.v.fd, KVM_SET_MP_STATE, &runnable) < 0) die("KVM_SET_MP_STATE");
    enter_long_mode_ring(&sender.v, ipi_sender, ipis, 0);
    enter_long_mode_ring(&target.v, irq_main, 0, 0);
    pthread_t sender_thread, target_thread;
    /* The target must have enabled its LAPIC before the first IPI, or that IPI is lost. */
    if (pthread_create(&target_thread, NULL, irq_vcpu_thread, &target) != 0) die("pthread_create");
    if (!wait_ready(&target, "ipi")) return 0;
    double t0 = now();
    if (pthread_create(&sender_thread, NULL, run_to_done_thread, &sender) != 0) die("pthread_create");
    if (!wait_for(&target.handled, ipis, 60.0)) {
        fprintf(stderr, "ipi: FAILED: %llu of %llu IPIs handled within 60 s\n",
                (unsigned long long)target.handled, (unsigned long long)ipis);
        return 0; /* both vCPU threads may be stuck in KVM_RUN; the process exit reaps them */
    }
    pthread_join(sender_thread, NULL);
    pthread_join(target_thread, NULL);
    double dt = now() - t0;
    uint64_t counted = *(volatile uint64_t *)(mem + COUNTER_ADDR);
    int ok = !sender.failed && !target.failed && counted == ipis;
    if (ok) {
        printf("ipi: OK (vCPU 0 -> halted vCPU 1: %llu IPIs through the LAPIC ICR in %.3f s = %.0f round trips/s)\n",
               (unsigned long long)ipis, dt, ipis / dt);
    } else if (!sender.failed && !target.failed) {
        fprintf(stderr, "ipi: FAILED: handler counted %llu IPIs, expected %llu\n",
                (unsigned long long)counted, (unsigned long long)ipis);
    }
    vcpu_destroy(&sender.v);
    vcpu_destroy(&target.v);
    vm_destroy();
    return ok;
}

int main(int argc, char **argv) {
    const char *which = argc > 1 ? argv[1] : "all";
    uint64_t iterations = 0;
    if (argc > 2) {
        char *end;
        iterations = strtoull(argv[2], &end, 10);
        if (*end || iterations == 0) {
            fprintf(stderr, "kvm-smoke: iterations must be a positive number, got '%s'\n", argv[2]);
            return 2;
        }
    }
    int all = !strcmp(which, "all");
    if (!all && strcmp(which, "real") && strcmp(which, "long") && strcmp(which, "exits") && strcmp(which, "smp") &&
        strcmp(which, "irq") && strcmp(which, "ipi")) {
        fprintf(stderr, "kvm-smoke: unknown test '%s' (usage: kvm-smoke [real|long|exits|smp|irq|ipi|all] [iterations])\n", which);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    alarm(WATCHDOG_SECONDS); /* default SIGALRM action ends the process: a hang becomes a failure */

    kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm_fd < 0) {
        fprintf(stderr, "kvm-smoke: cannot open /dev/kvm: %s\n", strerror(errno));
        return 2;
    }
    int api = ioctl(kvm_fd, KVM_GET_API_VERSION, 0);
    if (api != KVM_API_VERSION) {
        fprintf(stderr, "kvm-smoke: KVM_GET_API_VERSION is %d, expected %d\n", api, KVM_API_VERSION);
        return 1;
    }
    run_size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (run_size <= 0) die("KVM_GET_VCPU_MMAP_SIZE");
    enum { MAX_CPUID_ENTRIES = 256 };
    cpuid = calloc(1, sizeof(*cpuid) + MAX_CPUID_ENTRIES * sizeof(cpuid->entries[0]));
    cpuid->nent = MAX_CPUID_ENTRIES;
    if (ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid) < 0) die("KVM_GET_SUPPORTED_CPUID");

    int ok = 1;
    if (all || !strcmp(which, "real")) ok &= test_real();
    if (all || !strcmp(which, "long")) ok &= test_long(iterations ? iterations : 20000000);
    if (all || !strcmp(which, "exits")) ok &= test_exits(iterations ? iterations : 20000);
    if (all || !strcmp(which, "smp")) ok &= test_smp(iterations ? iterations : 2000000);
    if (all || !strcmp(which, "irq")) ok &= test_irq(iterations ? iterations : 200);
    if (all || !strcmp(which, "ipi")) ok &= test_ipi(iterations ? iterations : 2000);
    puts(ok ? "OK" : "FAILED");
    return ok ? 0 : 1;
}
