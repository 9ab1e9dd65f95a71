// The CPUs a thread may run on, as sched_getaffinity shows them: the recorder runs the program
// pinned to its own CPU, which the program must not see. A new thread sees what its creator
// had; after the program narrows its own mask, it and its next thread see that.
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

static int own_cpus(void)
{
    cpu_set_t set;
    return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : -1;
}

static void *worker(void *arg)
{
    *(int *)arg = own_cpus();
    return NULL;
}

static int in_a_thread(void)
{
    int seen = 0;
    pthread_t thread;
    pthread_create(&thread, NULL, worker, &seen);
    pthread_join(thread, NULL);
    return seen;
}

int main(void)
{
    int online = (int)sysconf(_SC_NPROCESSORS_ONLN);
    printf("main sees every online cpu: %s\n", own_cpus() == online ? "yes" : "no");
    printf("a thread sees every online cpu: %s\n", in_a_thread() == online ? "yes" : "no");
    cpu_set_t first;
    CPU_ZERO(&first);
    CPU_SET(0, &first);
    printf("narrowed to cpu 0: %d\n", sched_setaffinity(0, sizeof first, &first));
    printf("main sees %d cpu(s), a new thread %d\n", own_cpus(), in_a_thread());
    return 0;
}
