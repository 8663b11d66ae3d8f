/*
 * How a round trip to a process on another core depends on how long that core was left idle: the asker busy-waits
 * PAUSE µs before each request (as a remote fault spends time locally between its round trips), then makes one
 * round trip and times it. Usage: idle-wake ASK_CPU ANSWER_CPU PAUSE_US...
 */
#include "common.h"
#include <signal.h>
#include <sys/wait.h>

enum { WARMUP = 200, SAMPLES = 2000 };

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: idle-wake ASK_CPU ANSWER_CPU PAUSE_US...\n");
        return 2;
    }
    int ask_cpu = atoi(argv[1]);
    int answer_cpu = atoi(argv[2]);
    for (int p = 3; p < argc; p++) {
        double pause = atof(argv[p]);
        int s = start_answerer(answer_cpu);
        pin(ask_cpu);
        static double rtt[SAMPLES];
        for (int i = 0; i < WARMUP + SAMPLES; i++) {
            for (double t = now_us(); now_us() - t < pause;) {
            }
            double t0 = now_us();
            round_trip(s);
            if (i >= WARMUP) {
                rtt[i - WARMUP] = now_us() - t0;
            }
        }
        close(s);
        wait(NULL);
        printf("idle-wake: asker on CPU %d, answerer on CPU %d, %5.0f µs of pause before each request: round trip median %.1f µs\n",
               ask_cpu, answer_cpu, pause, median(rtt, SAMPLES));
    }
    return 0;
}
