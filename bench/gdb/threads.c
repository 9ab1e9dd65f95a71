/* Benchmark debuggee with four threads: each makes cheap syscalls (one event each in the trace)
   and calls a function to break on every 100,000 of its iterations. The recorder runs one
   thread at a time and switches at events when a slice is over, so the threads' events
   interleave in runs of a slice each. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static volatile long sink;
static long per_thread;

static void mark(long i)
{
    long twice = i * 2;
    sink = twice;
}

static void *work(void *arg)
{
    (void)arg;
    for (long i = 0; i < per_thread; i++) {
        getppid();
        if (i % 100000 == 0)
            mark(i);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 2000000;
    per_thread = n / 4;
    pthread_t threads[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&threads[i], NULL, work, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    return 0;
}
