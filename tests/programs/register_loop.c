// Two threads computing in loops of short instructions only (no instruction of five bytes or
// more for a probe to replace): every preemption's place is found through a relay in the
// padding near the loop. Prints the two results.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

// Optimized whatever the harness compiles with: -O0 code would keep a long compare in the loop.
__attribute__((optimize("O2"))) static void *work(void *arg)
{
    uint64_t x = (uintptr_t)arg | 1;
    for (long i = 0; i < 60000000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return (void *)(uintptr_t)x;
}

int main(void)
{
    pthread_t t[2];
    for (long i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, work, (void *)(i + 1));
    for (int i = 0; i < 2; i++) {
        void *r;
        pthread_join(t[i], &r);
        printf("thread %d: %016llx\n", i + 1, (unsigned long long)(uintptr_t)r);
    }
    return 0;
}
