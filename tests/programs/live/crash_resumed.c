// A job of many threads whose main thread crashes as soon as it is resumed: it waits in
// epoll_wait on an empty set, which an attaching tracer ends with EINTR (epoll_wait(2): the
// call is never restarted), and takes that EINTR for a fault. It is the first thread resume
// lets go, while the 64 workers, asleep in pause(), are still stopped under ptrace: the
// SIGSEGV's group exit kills them where they stand.
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <unistd.h>

enum { Workers = 64 };

static void *worker(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

int main(void)
{
    pthread_t threads[Workers];
    for (int i = 0; i < Workers; i++)
        pthread_create(&threads[i], NULL, worker, NULL);
    int set = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event event;
    printf("%d workers waiting\n", Workers);
    fflush(stdout);
    while (epoll_wait(set, &event, 1, -1) >= 0 || errno != EINTR)
        ;
    *(volatile int *)0 = 1;
    return 0;
}
