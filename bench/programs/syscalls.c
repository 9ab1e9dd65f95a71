// Syscall-heavy: many small read() calls on a file and many clock_gettime() calls
// (through the vDSO natively; real syscalls once the recorder disables the vDSO).
// Usage: syscalls FILE [COUNT]   (COUNT reads and COUNT clock_gettime calls, default 100000 each)
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "file_and_count.h"

int main(int argc, char **argv)
{
    long n;
    int fd = open_file_and_count(argc, argv, "syscalls", &n);
    char buf[64];
    unsigned long sum = 0;
    struct timespec ts;
    for (long i = 0; i < n; i++) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r <= 0) {
            lseek(fd, 0, SEEK_SET);
            continue;
        }
        sum += (unsigned char)buf[0];
        clock_gettime(CLOCK_MONOTONIC, &ts);
        sum += (unsigned long)ts.tv_nsec & 1;
    }
    close(fd);
    printf("syscalls: %ld reads + %ld clock_gettime, sum=%lu\n", n, n, sum);
    return 0;
}
