// A counter that holds much memory, so that writing its image takes a while: it fills MB
// megabytes (argument 1) with bytes that do not compress, then counts as counter.c does, a
// step every 20 ms, and at the end prints a digest of the steps and of the memory, which only
// an uninterrupted count (or an exact resume) gets right.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    size_t words = (size_t)(argc > 1 ? atoi(argv[1]) : 256) << 17;
    int n = argc > 2 ? atoi(argv[2]) : 150;
    unsigned long *memory = malloc(words * sizeof *memory);
    unsigned long x = 88172645463325252ul;
    for (size_t i = 0; i < words; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        memory[i] = x;
    }
    unsigned long digest = 14695981039346656037ul;
    struct timespec step = {0, 20 * 1000 * 1000};
    for (int i = 0; i < n; i++) {
        digest = (digest ^ (unsigned long)i ^ memory[(size_t)i * 4099 % words]) * 1099511628211ul;
        printf("step %d\n", i);
        fflush(stdout);
        nanosleep(&step, NULL);
    }
    printf("done %d steps, digest %016lx\n", n, digest);
    return 7;
}
