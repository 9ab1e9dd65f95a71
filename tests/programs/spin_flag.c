// One thread spins on a flag with no syscall while another computes, then sets it.
#include <pthread.h>
#include <stdio.h>

static volatile int flag;
static volatile unsigned long result;

static void *compute(void *arg)
{
    unsigned long x = 1;
    for (long i = 0; i < 30000000; i++)
        x = x * 6364136223846793005UL + 1442695040888963407UL;
    result = x;
    flag = 1;
    return arg;
}

static void *spin(void *arg)
{
    unsigned long spins = 0;
    while (!flag)
        spins++;
    return spins > 0 ? arg : NULL;
}

int main(void)
{
    pthread_t c, s;
    void *spun;
    pthread_create(&s, NULL, spin, NULL);
    pthread_create(&c, NULL, compute, NULL);
    pthread_join(c, NULL);
    pthread_join(s, &spun);
    printf("result %lx\n", result);
    return 0;
}
