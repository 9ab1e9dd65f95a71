// main calls pthread_exit; the worker goes on and ends the process with exit(3).
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *worker(void *arg)
{
    usleep(20000);
    printf("worker outlived main\n");
    fflush(stdout);
    exit(3);
    return arg;
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    printf("main leaves\n");
    fflush(stdout);
    pthread_exit(NULL);
}
