// A worker dies of SIGSEGV while main waits for it: the whole process dies of it (status 139 in a shell).
#include <pthread.h>
#include <stdio.h>

static void *worker(void *arg)
{
    volatile int *p = arg;
    *p = 42;
    return NULL;
}

int main(void)
{
    pthread_t t;
    printf("starting the worker\n");
    fflush(stdout);
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    printf("not reached\n");
    return 0;
}
