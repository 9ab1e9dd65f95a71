/* Benchmark workload: makes MB megabytes resident (pseudo-random, so compression cannot hide
 * the size), then either computes for SECONDS of run time, rewriting a few pages and reading
 * the clock (a logged syscall) about every millisecond, and prints a digest; or, given "fork"
 * instead of SECONDS, times a plain fork() of itself (the floor of a fork-based checkpoint's
 * pause) and prints the best of 5 in milliseconds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static double best_fork(void) {
    double best = 1e9;
    for (int k = 0; k < 5; k++) {
        double start = now();
        pid_t child = fork();
        if (child == 0) _exit(0);
        double took = now() - start;
        waitpid(child, NULL, 0);
        if (took < best) best = took;
    }
    return best;
}

int main(int argc, char **argv) {
    size_t bytes = (size_t)atol(argv[1]) << 20;
    uint64_t *m = malloc(bytes), x = 88172645463325252ULL, h = 0;
    size_t words = bytes / 8;
    for (size_t i = 0; i < words; i++) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; m[i] = x; }
    if (strcmp(argv[2], "fork") == 0) {
        printf("%.1f\n", best_fork() * 1000);
        return 0;
    }
    double seconds = atof(argv[2]);
    double start = now();
    for (uint64_t tick = 0; now() - start < seconds; tick++) {
        for (int k = 0; k < 20000; k++) {
            size_t i = (tick * 20000 + k) * 2654435761ULL % words;
            h = (h ^ m[i]) * 1099511628211ULL;
            if (k % 2000 == 0) m[i] = h;
        }
    }
    printf("digest %016llx\n", (unsigned long long)h);
    return 0;
}
