// Rewind.Core.Tests end-to-end debuggee: reads the world, changes it, and says what it saw.
// usage: effects APPEND_FILE UNLINK_FILE OBSERVATIONS_FILE
// Everything it writes to stdout it also writes to OBSERVATIONS_FILE, so a test can compare the
// replay's stdout with what the recorded run really printed. Exits with status 7.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

static char out[4096];
static size_t used;

static void say(const char *format, unsigned long long a, unsigned long long b)
{
    used += snprintf(out + used, sizeof out - used, format, a, b);
}

int main(int argc, char **argv)
{
    if (argc != 4)
        return 2;
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    say("pid %llu time %llu\n", (unsigned long long)getpid(), (unsigned long long)t.tv_nsec);
    unsigned long long random = 0;
    if (getrandom(&random, sizeof random, 0) != sizeof random)
        return 3;
    say("random %llx tsc %llu\n", random, __rdtsc());

    int fd = open(argv[1], O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd < 0 || write(fd, "appended by effects\n", 20) != 20)
        return 4;
    close(fd);
    struct stat st;
    stat(argv[1], &st);
    say("append size %llu unlink %llu\n", (unsigned long long)st.st_size, (unsigned long long)unlink(argv[2]));

    // One read of more than the recorder's 256 KB events buffer: the events so far become a chunk of their own.
    static char big[300 * 1000];
    int zero = open("/dev/zero", O_RDONLY);
    say("zero read %llu fd %llu\n", (unsigned long long)read(zero, big, sizeof big), (unsigned long long)zero);
    close(zero);
    for (int i = 0; i < 50; i++)
        say("ppid %llu round %llu\n", (unsigned long long)getppid(), (unsigned long long)i);

    write(1, out, used);
    write(2, "effects: done\n", 14);
    int obs = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(obs, out, used);
    close(obs);
    return 7;
}
