/* Benchmark debuggee: millions of cheap syscalls (one event each in the trace), and a function
   to break on every 100,000 iterations. */
#include <stdlib.h>
#include <unistd.h>

static volatile long sink;

static void mark(long i)
{
    long twice = i * 2;
    sink = twice;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 2000000;
    for (long i = 0; i < n; i++) {
        getppid();
        if (i % 100000 == 0)
            mark(i);
    }
    return 0;
}
