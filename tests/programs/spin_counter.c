// A worker spins until main sets a flag, counting its laps in a global; main computes meanwhile.
// Where the worker's counter lives in memory, its loop comes back to the same registers and stack
// at every lap: replay must stop at the recorded lap of each of its preemptions, or the count it
// prints is another.
#include <pthread.h>
#include <stdio.h>

static volatile int flag;
static volatile unsigned long laps;

static void *spin(void *arg)
{
    (void)arg;
    while (!flag)
        laps++;
    return NULL;
}

int main(void)
{
    pthread_t worker;
    pthread_create(&worker, NULL, spin, NULL);
    unsigned long x = 88172645463325252UL;
    for (long i = 0; i < 40000000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    flag = 1;
    pthread_join(worker, NULL);
    printf("main computed %lx while the worker spun %lu laps\n", x, laps);
    return 0;
}
