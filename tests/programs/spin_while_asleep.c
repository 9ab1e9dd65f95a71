// A worker spins on a flag with no syscall while main sleeps, and main sets the flag once it runs
// again: main's sleep ends while the worker runs alone, and the worker must give way then.
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static volatile int flag;

static void *spin(void *arg)
{
    unsigned long spins = 0;
    while (!flag)
        spins++;
    return spins > 0 ? arg : NULL;
}

int main(void)
{
    pthread_t s;
    pthread_create(&s, NULL, spin, NULL);
    // Longer than a time slice (50 ms): no alarm set before the sleep is still to ring when it ends.
    struct timespec pause = {0, 300 * 1000 * 1000};
    nanosleep(&pause, NULL);
    flag = 1;
    pthread_join(s, NULL);
    printf("main woke and stopped the spinner\n");
    return 0;
}
