// Holds DESCRIPTORS open descriptors besides its standard streams (a quarter each: pipes with
// bytes waiting in them, counted by both ends; a file; dups of one; /dev/null), then prints a line
// every 5 ms for STEPS steps: what a recorder's checkpoint captures for a live resume grows with them.
// Usage: descriptors DESCRIPTORS STEPS
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int count = argc > 1 ? atoi(argv[1]) : 0, steps = argc > 2 ? atoi(argv[2]) : 800;
    int first = -1;
    for (int i = 0; i < count; i++) {
        int fd, ends[2];
        switch (i % 4) {
        case 0:
            if (pipe(ends) != 0 || write(ends[1], "queued", 6) != 6)
                return 1;
            i++;
            continue;
        case 1:
            fd = open("/etc/passwd", O_RDONLY);
            break;
        case 2:
            fd = first < 0 ? (first = open("/etc/hostname", O_RDONLY)) : dup(first);
            break;
        default:
            fd = open("/dev/null", O_WRONLY);
        }
        if (fd < 0)
            return 1;
    }
    struct timespec pause = {0, 5 * 1000 * 1000};
    for (int i = 0; i < steps; i++) {
        printf("step %d\n", i);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    return 0;
}
