// A quiet program for the bad-trace tests: a few lines on stdout, nothing on stderr,
// so that any stderr line comes from rewind.
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    struct timespec ts;
    for (int i = 0; i < 5; i++) {
        clock_gettime(CLOCK_REALTIME, &ts);
        printf("hello %d from %d at %lld\n", i, (int)getpid(), (long long)ts.tv_sec);
        fflush(stdout);
    }
    return 0;
}
