/*
 * The floor of a remote page fault, measured whole and measured by parts. A thread reads a page of a
 * userfaultfd-registered region; a handler thread (poll + read, as the DSM's uffd reader) answers each fault with
 * UFFDIO_COPY, either at once (the uffd floor) or after one polling TCP round trip to a process pinned to
 * ANSWER_CPU (the remote-fault floor). A plain round trip, back to back, is the third figure.
 * Usage: remote-fault-floor ASK_CPU ANSWER_CPU
 */
#include "common.h"
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

enum { WARMUP = 300, SAMPLES = 2000, PAGES = 256 };

static int uffd;
static _Atomic int connection = -1; /* -1: resolve at once; set by main while no fault is pending */
static char *zero_page;

static void *handler(void *unused) {
    (void) unused;
    for (;;) {
        struct pollfd p = {.fd = uffd, .events = POLLIN};
        struct uffd_msg m;
        poll(&p, 1, -1);
        if (read(uffd, &m, sizeof m) != sizeof m || m.event != UFFD_EVENT_PAGEFAULT) {
            continue;
        }
        int s = connection;
        if (s >= 0) {
            round_trip(s);
        }
        struct uffdio_copy c = {.dst = m.arg.pagefault.address & ~(unsigned long long) (REPLY - 1),
                                .src = (unsigned long) zero_page, .len = REPLY};
        if (ioctl(uffd, UFFDIO_COPY, &c) != 0) {
            perror("UFFDIO_COPY");
            exit(1);
        }
    }
    return NULL;
}

static double faults(char *ram) {
    static double took[SAMPLES];
    for (int i = 0; i < WARMUP + SAMPLES; i++) {
        char *page = ram + (long) (i % PAGES) * REPLY;
        madvise(page, REPLY, MADV_DONTNEED); /* missing again: the next read faults */
        double t0 = now_us();
        if (*(volatile char *) page != 0) {
            fprintf(stderr, "a zero page read non-zero\n");
            exit(1);
        }
        if (i >= WARMUP) {
            took[i - WARMUP] = now_us() - t0;
        }
    }
    return median(took, SAMPLES);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: remote-fault-floor ASK_CPU ANSWER_CPU\n");
        return 2;
    }
    int ask_cpu = atoi(argv[1]);
    int answer_cpu = atoi(argv[2]);
    pin(ask_cpu);
    int s = start_answerer(answer_cpu);

    uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
    struct uffdio_api api = {.api = UFFD_API};
    if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) != 0) {
        perror("userfaultfd (is vm.unprivileged_userfaultfd 0 and this not root?)");
        return 2;
    }
    zero_page = aligned_alloc(REPLY, REPLY);
    memset(zero_page, 0, REPLY);
    char *ram = mmap(NULL, (long) PAGES * REPLY, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct uffdio_register r = {.range = {.start = (unsigned long) ram, .len = (long) PAGES * REPLY},
                                .mode = UFFDIO_REGISTER_MODE_MISSING};
    if (ram == MAP_FAILED || ioctl(uffd, UFFDIO_REGISTER, &r) != 0) {
        perror("UFFDIO_REGISTER");
        return 2;
    }
    pthread_t t;
    pthread_create(&t, NULL, handler, NULL);

    double uffd_floor = faults(ram);
    static double rtt[SAMPLES];
    for (int i = 0; i < WARMUP + SAMPLES; i++) {
        double t0 = now_us();
        round_trip(s);
        if (i >= WARMUP) {
            rtt[i - WARMUP] = now_us() - t0;
        }
    }
    double tcp_floor = median(rtt, SAMPLES);
    connection = s;
    double whole = faults(ram);
    printf("remote-fault-floor: asker on CPU %d, answerer on CPU %d: uffd %.1f µs + round trip %.1f µs = %.1f µs;"
           " measured whole %.1f µs\n", ask_cpu, answer_cpu, uffd_floor, tcp_floor, uffd_floor + tcp_floor, whole);
    return 0;
}
