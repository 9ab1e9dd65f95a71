// A worker waits in read(), then in readv(), on a pipe into buffers that main polls with no
// syscall: main writes the pipe and spins until the bytes are there. The kernel fills the
// buffers when the worker's call returns, while main runs; replay writes them where the call's
// event is.
#include <pthread.h>
#include <stdio.h>
#include <sys/uio.h>
#include <unistd.h>

static int pipe_ends[2];
static volatile char buffer[64], head[1], tail[64];

static void *reader(void *arg)
{
    (void)arg;
    ssize_t n = read(pipe_ends[0], (char *)buffer, sizeof buffer);
    struct iovec parts[2] = {{(char *)head, sizeof head}, {(char *)tail, sizeof tail}};
    ssize_t m = readv(pipe_ends[0], parts, 2);
    return (void *)(n + m);
}

static void send(const char *bytes, size_t length)
{
    if (write(pipe_ends[1], bytes, length) != (ssize_t)length)
    {
        perror("write");
    }
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
    volatile unsigned long spins = 0;
    send("x", 1);
    while (buffer[0] == 0)
        spins++;
    send("yz", 2);
    while (tail[0] == 0)
        spins++;
    void *n;
    pthread_join(worker, &n);
    printf("main saw '%c', then '%c' and '%c'; the worker read %ld byte(s)\n", buffer[0], head[0], tail[0], (long)n);
    return 0;
}
