// A worker waits in read() on a pipe into a buffer that main polls with no syscall: main writes
// the pipe and spins until the byte is there. The kernel fills the buffer when the worker's read
// returns, while main runs; replay writes it where the read's event is.
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int pipe_ends[2];
static volatile char buffer[64];

static void *reader(void *arg)
{
    (void)arg;
    ssize_t n = read(pipe_ends[0], (char *)buffer, sizeof buffer);
    return (void *)n;
}

int main(void)
{
    if (pipe(pipe_ends) != 0)
    {
        perror("pipe");
        return 1;
    }
    pthread_t worker;
    pthread_create(&worker, NULL, reader, NULL);
    // Let the worker reach its read first: it blocks there until the byte comes.
    usleep(100 * 1000);
    if (write(pipe_ends[1], "x", 1) != 1)
    {
        perror("write");
        return 1;
    }
    volatile unsigned long spins = 0;
    while (buffer[0] == 0)
        spins++;
    void *n;
    pthread_join(worker, &n);
    printf("main saw '%c'; the worker read %ld byte(s)\n", buffer[0], (long)n);
    return 0;
}
