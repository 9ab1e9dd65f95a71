// Rewind.Core.Tests end-to-end debuggee: starts a second thread, which recording refuses.
#include <pthread.h>
#include <stdio.h>

static void *run(void *arg)
{
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, run, NULL);
    pthread_join(t, NULL);
    puts("joined");
    return 0;
}
