/* Time reads that Rewind logs in the program (its page of time reads, docs/decisions.md "Time reads
 * logged in the program"), under every pressure on that log: three threads spinning on
 * clock_gettime for 120 ms each, longer than the recorder's 50 ms slice (how far each gets is
 * the output, and preemptions land amid the log's code); then one spinning under a 1 ms interval
 * timer whose handler reads the time too (signals arrive amid it); gettimeofday and time with
 * and without a pointer; the calls that take the kernel's way (a timezone, a timespec across a
 * page, a bad clock); and a forked child reading on from its copy of the log. Every figure
 * printed must come back in replay. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log_pressure.h"

/* What the 1 ms timer's handler reads. */
static unsigned long read_in_handler(unsigned long sum)
{
    struct timespec ts;
    struct timeval tv;
    clock_gettime(CLOCK_REALTIME, &ts);
    gettimeofday(&tv, NULL);
    return sum + ((unsigned long)ts.tv_nsec ^ (unsigned long)tv.tv_usec);
}

/* Reads the monotonic clock until ms milliseconds have passed by it; returns how many reads that
 * took and mixes what they read into *sum. */
static long spin(long ms, unsigned long *sum)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    long reads = 0;
    do {
        clock_gettime(CLOCK_MONOTONIC, &now);
        *sum = *sum * 31 + (unsigned long)now.tv_nsec;
        if (++reads % 5000 == 0) {
            struct timeval tv;
            time_t t;
            gettimeofday(&tv, NULL);
            *sum += (unsigned long)tv.tv_usec + (unsigned long)time(NULL) + (unsigned long)time(&t) + (unsigned long)t;
        }
    } while (ns_between(&start, &now) < ms * 1000000L);
    return reads;
}

static void kernel_ways(void)
{
    struct timeval tv;
    struct timezone tz;
    int r = gettimeofday(&tv, &tz);
    printf("gettimeofday with a timezone: %d, minutes west %d\n", r, tz.tz_minuteswest);

    /* A timespec whose second half lies on the next page. */
    char *pages = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct timespec *across = (struct timespec *)(pages + 4096 - 8);
    r = clock_gettime(CLOCK_REALTIME, across);
    printf("across a page: %d, %s\n", r, across->tv_sec > 0 ? "read" : "unread");
    munmap(pages, 8192);

    struct timespec ts;
    errno = 0;
    r = clock_gettime((clockid_t)12345, &ts);
    printf("a bad clock: %d, %s\n", r, strerror(errno));
    r = clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    printf("the process's CPU clock: %d\n", r);
}

int main(void)
{
    kernel_ways();
    return log_pressure(spin, read_in_handler, "reads");
}
