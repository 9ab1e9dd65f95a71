/* The main thread writes to stdout faster than its reader takes it, so each write waits in the
 * kernel for room in the pipe, while a worker spins, ready to run: the recorder's preemptions
 * interrupt those writes, and the kernel restarts them. Prints how far the worker spun to stderr
 * (that varies from run to run); stdout's bytes are the same in every run. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_int done;

static void *spin(void *arg)
{
    unsigned long long *laps = arg;
    while (!atomic_load_explicit(&done, memory_order_relaxed))
        (*laps)++;
    return NULL;
}

int main(int argc, char **argv)
{
    int chunks = argc > 1 ? atoi(argv[1]) : 256;
    unsigned long long laps = 0;
    pthread_t worker;
    pthread_create(&worker, NULL, spin, &laps);
    char chunk[4096];
    for (int i = 0; i < chunks; i++) {
        memset(chunk, 'a' + i % 26, sizeof chunk - 1);
        chunk[sizeof chunk - 1] = '\n';
        for (size_t off = 0; off < sizeof chunk;) {
            ssize_t n = write(1, chunk + off, sizeof chunk - off);
            if (n < 0)
                return 1;
            off += (size_t)n;
        }
    }
    atomic_store(&done, 1);
    pthread_join(worker, NULL);
    fprintf(stderr, "%d chunks written\n", chunks);
    return 0;
}
