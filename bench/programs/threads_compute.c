// Two threads computing at once, no syscalls while they do: recording serialises them, and
// preempts each in turn; replay must find every preemption again.
// Usage: threads_compute [ITERATIONS PER THREAD]   (default 60 million, ~0.1 s natively)
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static long iterations;

static void *work(void *arg)
{
    unsigned long x = (unsigned long)arg * 2654435761UL + 1, acc = 0;
    for (long i = 0; i < iterations; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        acc += x % 1000003;
    }
    return (void *)acc;
}

int main(int argc, char **argv)
{
    iterations = argc > 1 ? atol(argv[1]) : 60000000L;
    pthread_t t[2];
    void *acc[2];
    for (long i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, work, (void *)(i + 1));
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], &acc[i]);
    printf("threads_compute: %lu %lu\n", (unsigned long)acc[0], (unsigned long)acc[1]);
    return 0;
}
