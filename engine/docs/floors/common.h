/* Shared helpers of the C cross-checks of `giantvm bench dsm-latency`'s floors (see run.sh). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define REQUEST 64   /* a page request's size on the wire, roughly */
#define REPLY 4096   /* a page */

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void pin(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) {
        perror("sched_setaffinity");
        exit(2);
    }
}

static void read_fully(int fd, char *buf, int n) {
    for (int got = 0; got < n;) {
        int r = read(fd, buf + got, n - got);
        if (r <= 0) {
            _exit(0); /* the asker is gone (_exit: the parent's unflushed output is not this process's to print) */
        }
        got += r;
    }
}

/* As the mesh's requesters wait for an answer: non-blocking reads, yielding between them. */
static void read_polling(int fd, char *buf, int n) {
    for (int got = 0; got < n;) {
        int r = recv(fd, buf + got, n - got, MSG_DONTWAIT);
        if (r > 0) {
            got += r;
        } else if (r == 0) {
            fprintf(stderr, "the answering process closed the connection\n");
            exit(1);
        } else {
            sched_yield();
        }
    }
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
    qsort(v, n, sizeof *v, by_value);
    return v[n / 2];
}

/*
 * Forks the answering process, pinned to answer_cpu: it reads REQUEST bytes and writes REPLY bytes back, blocking,
 * until the connection closes. Returns the asker's end of a loopback TCP connection, TCP_NODELAY like the mesh's.
 */
static int start_answerer(int answer_cpu) {
    int one = 1;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (bind(listener, (void *) &a, sizeof a) || listen(listener, 1) || getsockname(listener, (void *) &a, &len)) {
        perror("loopback listener");
        exit(2);
    }
    fflush(stdout);
    if (fork() == 0) {
        pin(answer_cpu);
        int s = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(s, (void *) &a, sizeof a)) {
            perror("connect");
            _exit(2);
        }
        setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        static char buf[REPLY];
        for (;;) {
            read_fully(s, buf, REQUEST);
            if (write(s, buf, REPLY) != REPLY) {
                _exit(0);
            }
        }
    }
    int s = accept(listener, 0, 0);
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    close(listener);
    return s;
}

/* One round trip as the mesh's requester makes it: the request, then polling for the page. */
static void round_trip(int s) {
    static char buf[REPLY];
    if (write(s, buf, REQUEST) != REQUEST) {
        perror("write");
        exit(1);
    }
    read_polling(s, buf, REPLY);
}
