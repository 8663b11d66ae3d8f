/*
 * Proves the userfaultfd paths the DSM depends on, inside the qemu-kvm harness VM:
 *
 *   thread  a thread touching a missing page blocks until a handler fills it with UFFDIO_COPY
 *   kvm     a KVM guest whose memory is registered with userfaultfd: its first instruction fetch
 *           faults to the handler (through KVM's own page lookup), which supplies the page holding
 *           "mov al,42; out 0x10,al; hlt", and the guest then exits with KVM_EXIT_IO(0x10, 42)
 *   kvm-wp  a guest store to a present but userfaultfd-write-protected page blocks the vCPU and
 *           arrives as a WP fault; after UFFDIO_WRITEPROTECT releases it the store lands
 *
 * Usage: uffd-smoke [thread|kvm|kvm-wp|all]. Prints "name: OK ..." per test and "OK"; exit 0 if all
 * passed, 1 if one failed, 2 on bad usage. Build: gcc -static -O2 -Wall -pthread -o uffd-smoke uffd-smoke.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE            4096ul
#define REGION_PAGES    16ul
#define FAULT_WAIT_MS   30000      /* emulated CPUs are slow; still, never wait forever */
#define PATTERN         0x5a
#define GUEST_CODE_ADDR 0x3000ul   /* deliberately not page 0: proves the fault address is right */
#define PORT_VALUE      0x10

static void die(const char *what) {
    fprintf(stderr, "uffd-smoke: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int uffd_open(uint64_t *features) {
    /* Kernel faults (KVM's get_user_pages) need UFFD_USER_MODE_ONLY unset, which requires root. */
    int fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) die("userfaultfd syscall");
    struct uffdio_api api = {.api = UFFD_API, .features = 0};
    if (ioctl(fd, UFFDIO_API, &api) < 0) die("UFFDIO_API");
    *features = api.features;
    return fd;
}

static void uffd_register(int fd, void *addr, size_t len) {
    struct uffdio_register reg = {
        .range = {.start = (uintptr_t)addr, .len = len}, .mode = UFFDIO_REGISTER_MODE_MISSING,
    };
    if (ioctl(fd, UFFDIO_REGISTER, &reg) < 0) die("UFFDIO_REGISTER");
}

/* Waits for one page fault event and returns its address, or 0 on timeout. */
static uint64_t uffd_wait_fault(int fd) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int n = poll(&p, 1, FAULT_WAIT_MS);
    if (n < 0) die("poll userfaultfd");
    if (n == 0) return 0;
    struct uffd_msg msg;
    if (read(fd, &msg, sizeof msg) != sizeof msg) die("read userfaultfd");
    if (msg.event != UFFD_EVENT_PAGEFAULT) {
        fprintf(stderr, "uffd-smoke: unexpected event %u\n", msg.event);
        exit(1);
    }
    return msg.arg.pagefault.address;
}

static void uffd_copy(int fd, uint64_t dst_page, const void *src) {
    struct uffdio_copy copy = {.dst = dst_page, .src = (uintptr_t)src, .len = PAGE, .mode = 0};
    if (ioctl(fd, UFFDIO_COPY, &copy) < 0) die("UFFDIO_COPY");
}

static void *map_region(void) {
    void *p = mmap(NULL, REGION_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) die("mmap");
    return p;
}

struct toucher {
    volatile uint8_t *addr;
    uint8_t seen;
};

static void *touch(void *p) {
    struct toucher *t = p;
    t->seen = *t->addr;
    return NULL;
}

static int test_thread(void) {
    uint64_t features;
    int fd = uffd_open(&features);
    printf("thread: UFFDIO_API features 0x%llx (write-protect %s, minor faults %s)\n",
           (unsigned long long)features, features & UFFD_FEATURE_PAGEFAULT_FLAG_WP ? "yes" : "no",
           features & UFFD_FEATURE_MINOR_SHMEM ? "yes" : "no");
    uint8_t *region = map_region();
    uffd_register(fd, region, REGION_PAGES * PAGE);
    struct toucher t = {.addr = region + 5 * PAGE + 123, .seen = 0};
    pthread_t th;
    if (pthread_create(&th, NULL, touch, &t) != 0) die("pthread_create");
    uint64_t fault = uffd_wait_fault(fd);
    int ok = 0;
    if (fault == 0) {
        fprintf(stderr, "thread: FAILED: no fault reported within %d ms\n", FAULT_WAIT_MS);
        return 0; /* the toucher is still blocked; the process exits anyway */
    }
    static uint8_t page[PAGE];
    memset(page, PATTERN, sizeof page);
    uffd_copy(fd, fault & ~(PAGE - 1), page);
    pthread_join(th, NULL);
    if ((fault & ~(PAGE - 1)) != (uintptr_t)(region + 5 * PAGE)) {
        fprintf(stderr, "thread: FAILED: fault at 0x%llx, expected page 0x%lx\n",
                (unsigned long long)fault, (unsigned long)(uintptr_t)(region + 5 * PAGE));
    } else if (t.seen != PATTERN) {
        fprintf(stderr, "thread: FAILED: read 0x%x after UFFDIO_COPY, expected 0x%x\n", t.seen, PATTERN);
    } else {
        printf("thread: OK (missing-page fault on page 5 served by UFFDIO_COPY)\n");
        ok = 1;
    }
    munmap(region, REGION_PAGES * PAGE);
    close(fd);
    return ok;
}

struct guest {
    int vcpu_fd;
    struct kvm_run *run;
    int exit_reason;
};

static void *run_guest(void *p) {
    struct guest *g = p;
    int reason = ioctl(g->vcpu_fd, KVM_RUN, 0) < 0 ? -errno : (int)g->run->exit_reason;
    __atomic_store_n(&g->exit_reason, reason, __ATOMIC_RELEASE);
    return NULL;
}

/* A VM whose slot 0 is mem, with one vCPU in real mode about to run GUEST_CODE_ADDR. */
static struct guest guest_create(uint8_t *mem) {
    int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (kvm < 0) die("open /dev/kvm");
    int vm = ioctl(kvm, KVM_CREATE_VM, 0);
    if (vm < 0) die("KVM_CREATE_VM");
    if (ioctl(vm, KVM_SET_TSS_ADDR, 0xfffbd000ul) < 0) die("KVM_SET_TSS_ADDR");
    struct kvm_userspace_memory_region region = {
        .slot = 0, .guest_phys_addr = 0, .memory_size = REGION_PAGES * PAGE, .userspace_addr = (uintptr_t)mem,
    };
    if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) die("KVM_SET_USER_MEMORY_REGION");
    struct guest g = {.exit_reason = 0};
    g.vcpu_fd = ioctl(vm, KVM_CREATE_VCPU, 0);
    if (g.vcpu_fd < 0) die("KVM_CREATE_VCPU");
    int run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
    g.run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, g.vcpu_fd, 0);
    if (g.run == MAP_FAILED) die("mmap kvm_run");
    struct kvm_sregs s;
    if (ioctl(g.vcpu_fd, KVM_GET_SREGS, &s) < 0) die("KVM_GET_SREGS");
    s.cs.base = 0;
    s.cs.selector = 0;
    s.ds.base = 0;
    s.ds.selector = 0;
    if (ioctl(g.vcpu_fd, KVM_SET_SREGS, &s) < 0) die("KVM_SET_SREGS");
    struct kvm_regs r = {.rip = GUEST_CODE_ADDR, .rflags = 0x2};
    if (ioctl(g.vcpu_fd, KVM_SET_REGS, &r) < 0) die("KVM_SET_REGS");
    return g;
}

static int guest_exited_with_42(struct guest *g, const char *test) {
    uint8_t value = g->exit_reason == KVM_EXIT_IO ? *((uint8_t *)g->run + g->run->io.data_offset) : 0;
    if (g->exit_reason != KVM_EXIT_IO || g->run->io.port != PORT_VALUE || value != 42) {
        fprintf(stderr, "%s: FAILED: exit %d port 0x%x value %u, expected KVM_EXIT_IO 0x10 42\n", test,
                g->exit_reason, g->exit_reason == KVM_EXIT_IO ? g->run->io.port : 0, value);
        return 0;
    }
    return 1;
}

static int test_kvm(void) {
    uint8_t *mem = map_region();
    uint64_t features;
    int fd = uffd_open(&features);
    uffd_register(fd, mem, REGION_PAGES * PAGE);
    struct guest g = guest_create(mem);

    pthread_t th;
    if (pthread_create(&th, NULL, run_guest, &g) != 0) die("pthread_create");
    /* Serve faults until the guest exits: the code page first; any other page gets zeroes. */
    static uint8_t code_page[PAGE], zero_page[PAGE];
    static const uint8_t code[] = {0xb0, 42, 0xe6, PORT_VALUE, 0xf4}; /* mov al,42; out 0x10,al; hlt */
    memcpy(code_page, code, sizeof code);
    int faults = 0, code_faults = 0, idle_polls = 0;
    for (;;) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int n = poll(&p, 1, 200);
        if (n < 0) die("poll userfaultfd");
        if (n > 0) {
            uint64_t fault = uffd_wait_fault(fd);
            uint64_t page = fault & ~(PAGE - 1);
            int is_code = page == (uintptr_t)mem + GUEST_CODE_ADDR;
            uffd_copy(fd, page, is_code ? code_page : zero_page);
            faults++;
            code_faults += is_code;
            continue;
        }
        if (__atomic_load_n(&g.exit_reason, __ATOMIC_ACQUIRE) != 0) break;
        if (++idle_polls > FAULT_WAIT_MS / 200) {
            fprintf(stderr, "kvm: FAILED: guest neither faulted nor exited within %d ms\n", FAULT_WAIT_MS);
            return 0;
        }
    }
    pthread_join(th, NULL);
    int ok = 0;
    if (!guest_exited_with_42(&g, "kvm")) {
        /* reported */
    } else if (code_faults != 1) {
        fprintf(stderr, "kvm: FAILED: the code page faulted %d times through userfaultfd, expected once\n", code_faults);
    } else {
        printf("kvm: OK (guest's fetch of its code page came to userfaultfd; %d fault(s) served; then OUT 0x10 = 42)\n", faults);
        ok = 1;
    }
    close(fd);
    return ok;
}

/*
 * The DSM's read-only copies: a guest write to a page that is present but write-protected with
 * userfaultfd must stop the vCPU and reach the handler as a WP fault; un-protecting lets it go on.
 */
static int test_kvm_wp(void) {
    uint8_t *mem = map_region();
    /* mov byte [0x5000], 42; mov al, 42; out 0x10, al; hlt   (real mode, ds = 0) */
    static const uint8_t code[] = {0xc6, 0x06, 0x00, 0x50, 42, 0xb0, 42, 0xe6, PORT_VALUE, 0xf4};
    const uint64_t data_addr = 0x5000;
    memset(mem, 0, REGION_PAGES * PAGE); /* populate every page: only WP faults may happen */
    memcpy(mem + GUEST_CODE_ADDR, code, sizeof code);
    uint64_t features;
    int fd = uffd_open(&features);
    if (!(features & UFFD_FEATURE_PAGEFAULT_FLAG_WP)) {
        fprintf(stderr, "kvm-wp: FAILED: this kernel's userfaultfd has no write-protect mode\n");
        return 0;
    }
    struct uffdio_register reg = {
        .range = {.start = (uintptr_t)mem, .len = REGION_PAGES * PAGE},
        .mode = UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP,
    };
    if (ioctl(fd, UFFDIO_REGISTER, &reg) < 0) die("UFFDIO_REGISTER (WP)");
    struct uffdio_writeprotect wp = {
        .range = {.start = (uintptr_t)mem + data_addr, .len = PAGE}, .mode = UFFDIO_WRITEPROTECT_MODE_WP,
    };
    if (ioctl(fd, UFFDIO_WRITEPROTECT, &wp) < 0) die("UFFDIO_WRITEPROTECT");
    struct guest g = guest_create(mem);
    pthread_t th;
    if (pthread_create(&th, NULL, run_guest, &g) != 0) die("pthread_create");

    struct pollfd p = {.fd = fd, .events = POLLIN};
    int n = poll(&p, 1, FAULT_WAIT_MS);
    if (n <= 0) {
        fprintf(stderr, "kvm-wp: FAILED: no userfaultfd event within %d ms (guest exit %d)\n",
                FAULT_WAIT_MS, __atomic_load_n(&g.exit_reason, __ATOMIC_ACQUIRE));
        return 0;
    }
    struct uffd_msg msg;
    if (read(fd, &msg, sizeof msg) != sizeof msg) die("read userfaultfd");
    uint64_t page = msg.arg.pagefault.address & ~(PAGE - 1);
    int is_wp = msg.event == UFFD_EVENT_PAGEFAULT && (msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP);
    /* The guest must not have got past the store while the page was protected. */
    int stopped = __atomic_load_n(&g.exit_reason, __ATOMIC_ACQUIRE) == 0 && mem[data_addr] == 0;
    wp.mode = 0; /* un-protect and wake the faulting thread */
    if (ioctl(fd, UFFDIO_WRITEPROTECT, &wp) < 0) die("UFFDIO_WRITEPROTECT (release)");
    pthread_join(th, NULL);
    int ok = 0;
    if (!is_wp || page != (uintptr_t)mem + data_addr) {
        fprintf(stderr, "kvm-wp: FAILED: event %u flags 0x%llx at page +0x%llx, expected a WP fault at +0x%llx\n",
                msg.event, (unsigned long long)msg.arg.pagefault.flags,
                (unsigned long long)(page - (uintptr_t)mem), (unsigned long long)data_addr);
    } else if (!stopped) {
        fprintf(stderr, "kvm-wp: FAILED: the guest's store went through while the page was write-protected\n");
    } else if (!guest_exited_with_42(&g, "kvm-wp")) {
        /* reported */
    } else if (mem[data_addr] != 42) {
        fprintf(stderr, "kvm-wp: FAILED: guest store not visible after un-protecting (byte is %u)\n", mem[data_addr]);
    } else {
        printf("kvm-wp: OK (guest store to a write-protected page stopped as a userfaultfd WP fault; resumed after un-protect)\n");
        ok = 1;
    }
    close(fd);
    return ok;
}

int main(int argc, char **argv) {
    const char *which = argc > 1 ? argv[1] : "all";
    int all = !strcmp(which, "all");
    if (argc > 2 || (!all && strcmp(which, "thread") && strcmp(which, "kvm") && strcmp(which, "kvm-wp"))) {
        fprintf(stderr, "uffd-smoke: usage: uffd-smoke [thread|kvm|kvm-wp|all]\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    alarm(2 * FAULT_WAIT_MS / 1000 + 30); /* a hang inside KVM_RUN ends the process instead */
    int ok = 1;
    if (all || !strcmp(which, "thread")) ok &= test_thread();
    if (all || !strcmp(which, "kvm")) ok &= test_kvm();
    if (all || !strcmp(which, "kvm-wp")) ok &= test_kvm_wp();
    puts(ok ? "OK" : "FAILED");
    return ok ? 0 : 1;
}
