// Starts a second thread and joins it.
#include <pthread.h>
#include <stdio.h>

static void *work(void *arg)
{
    return (void *)((long)arg * 2);
}

int main(void)
{
    pthread_t t;
    void *result = NULL;
    printf("starting a thread\n");
    fflush(stdout);
    if (pthread_create(&t, NULL, work, (void *)21L) != 0)
        return 1;
    pthread_join(t, &result);
    printf("thread returned: %ld\n", (long)result);
    return 0;
}
