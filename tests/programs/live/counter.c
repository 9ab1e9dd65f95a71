// A job whose progress lives in memory: it counts to N, a step every 20 ms, printing each step
// and, at the end, a digest of every step, which only an uninterrupted count (or an exact
// resume) gets right.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 150;
    unsigned long digest = 14695981039346656037ul;
    struct timespec step = {0, 20 * 1000 * 1000};
    for (int i = 0; i < n; i++) {
        digest = (digest ^ (unsigned long)i) * 1099511628211ul;
        printf("step %d\n", i);
        fflush(stdout);
        nanosleep(&step, NULL);
    }
    printf("done %d steps, digest %016lx\n", n, digest);
    return 7;
}
