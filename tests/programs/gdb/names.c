/* Thread names set through /proc for the gdb tests: main names its worker with
   pthread_setname_np (glibc writes /proc/self/task/TID/comm for a thread other than the caller),
   then the worker renames itself by writing /proc/thread-self/comm. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

static pthread_barrier_t named;

static void *work(void *arg)
{
    pthread_barrier_wait(&named);
    int fd = open("/proc/thread-self/comm", O_WRONLY); // L:worker-named
    write(fd, "self-named\n", 11);
    close(fd);
    getppid(); // L:worker-renamed
    return arg;
}

int main(void)
{
    pthread_t worker;
    pthread_barrier_init(&named, NULL, 2);
    pthread_create(&worker, NULL, work, NULL);
    pthread_setname_np(worker, "named-by-main");
    pthread_barrier_wait(&named);
    pthread_join(worker, NULL);
    return 0;
}
