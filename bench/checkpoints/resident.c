/* Benchmark workload: makes MB megabytes resident (pseudo-random, so compression cannot hide
 * the size), then computes for SECONDS of run time, rewriting a few pages and reading the
 * clock (a logged syscall) about every millisecond. Prints a digest. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    size_t bytes = (size_t)atol(argv[1]) << 20;
    double seconds = atof(argv[2]);
    uint64_t *m = malloc(bytes), x = 88172645463325252ULL, h = 0;
    size_t words = bytes / 8;
    for (size_t i = 0; i < words; i++) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; m[i] = x; }
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
