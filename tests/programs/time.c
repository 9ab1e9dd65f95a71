// Time read without an explicit syscall: glibc answers clock_gettime, gettimeofday
// and time() from the vDSO, so a recorder must route them through real syscalls.
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

static void show(const char *name, clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0) {
        printf("%s: error\n", name);
        return;
    }
    printf("%s: %lld.%09ld\n", name, (long long)ts.tv_sec, ts.tv_nsec);
}

int main(void)
{
    show("realtime", CLOCK_REALTIME);
    show("realtime_coarse", CLOCK_REALTIME_COARSE);
    show("monotonic", CLOCK_MONOTONIC);
    show("monotonic_coarse", CLOCK_MONOTONIC_COARSE);
    show("monotonic_raw", CLOCK_MONOTONIC_RAW);
    show("boottime", CLOCK_BOOTTIME);
    show("process_cputime", CLOCK_PROCESS_CPUTIME_ID);

    struct timeval tv;
    gettimeofday(&tv, NULL);
    printf("gettimeofday: %lld.%06ld\n", (long long)tv.tv_sec, (long)tv.tv_usec);
    printf("time: %lld\n", (long long)time(NULL));

    // Many reads in a row: the values must replay one for one, in order.
    struct timespec prev = { 0, 0 }, now;
    long long sum = 0;
    int backwards = 0;
    for (int i = 0; i < 1000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec < prev.tv_sec || (now.tv_sec == prev.tv_sec && now.tv_nsec < prev.tv_nsec))
            backwards++;
        sum += now.tv_nsec % 1000;
        prev = now;
    }
    printf("loop_last: %lld.%09ld\n", (long long)now.tv_sec, now.tv_nsec);
    printf("loop_sum: %lld\n", sum);
    printf("loop_backwards: %d\n", backwards);
    fprintf(stderr, "time: read %d clocks\n", 1000 + 9);
    return 0;
}
