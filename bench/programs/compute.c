// Compute-bound: a tight integer and floating-point loop with no syscalls. Recording
// should cost next to nothing here (no stops between the start and the exit).
// Usage: compute [ITERATIONS]   (default 700 million, ~1.5 s natively)
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 700000000L;
    unsigned long x = 88172645463325252UL, acc = 0;
    double f = 1.0;
    for (long i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        acc += x % 1000003;
        f = f * 0.9999999 + (double)(x & 0xff) * 1e-9;
    }
    printf("compute: %ld iterations, acc=%lu f=%.6f\n", n, acc, f);
    return 0;
}
