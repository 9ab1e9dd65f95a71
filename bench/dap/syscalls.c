/* The DAP latency benchmark's debuggee (bench/dap/latency.mjs): millions of cheap recorded
 * syscalls (getppid, emulated in replay, one event each), with checkpoint() called every
 * 100,000 of them as the function to break on. */
#include <stdlib.h>
#include <unistd.h>

long total;

void checkpoint(long i)
{
    total += i; /* LINE checkpoint_body */
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 3000000;
    for (long i = 0; i < n; i++) {
        total += getppid();
        if (i % 100000 == 0) {
            checkpoint(i);
        }
    }
    return 0;
}
