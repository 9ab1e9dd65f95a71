/* Threads for the gdb tests: four named workers take a mutex in turn to add to a shared
   counter, once main has created them all, while main waits in pthread_join; with an
   argument, worker 3 then crashes. Line numbers are asserted by the tests through the
   "// L:name" markers. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int crash;
int shared_counter;

static void *work(void *arg)
{
    int id = (int)(long)arg;
    char name[16];
    snprintf(name, sizeof name, "worker-%d", id);
    pthread_setname_np(pthread_self(), name);
    pthread_mutex_lock(&lock);
    shared_counter += id; // L:work-add
    pthread_mutex_unlock(&lock);
    if (crash && id == 3)
        *(volatile int *)0 = id; // L:work-crash
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t workers[4];
    crash = argc > 1;
    getppid(); // L:main-before
    // Every worker exists before any adds: a step back in main from where it last ran never
    // crosses the creation of the thread gdb stopped in (gdb 13 asserts in skip_inline_frames).
    pthread_mutex_lock(&lock);
    for (long i = 0; i < 4; i++)
        pthread_create(&workers[i], NULL, work, (void *)(i + 1));
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < 4; i++)
        pthread_join(workers[i], NULL); // L:main-join
    printf("shared_counter=%d\n", shared_counter); // L:main-after
    return 0;
}
