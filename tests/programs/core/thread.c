// Rewind.Core.Tests end-to-end debuggee: starts a second thread and joins it; built with -O1,
// the main thread usually waits in its join's futex while the worker runs.
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

static void *run(void *arg)
{
    return (void *)((intptr_t)arg * 2);
}

int main(void)
{
    pthread_t t;
    void *result;
    puts("starting a thread");
    pthread_create(&t, NULL, run, (void *)21);
    pthread_join(t, &result);
    printf("thread returned: %d\n", (int)(intptr_t)result);
    return 0;
}
