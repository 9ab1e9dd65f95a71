// Every kind of time read, by raw syscall: those the recorder answers itself (clock_gettime of a
// system-wide clock, gettimeofday without a timezone, time) and those it leaves to the kernel (the
// CPU-time clocks, invalid clocks, a timezone, pointers the kernel refuses). Each answer is checked
// against what the kernel itself says (a timerfd on the same clock, getrusage, the clock it is a
// coarse or raw kind of), and every value is printed: replay must print them again.
// Usage: clocks            every kind once, then "checks failed: N"
//        clocks spin MS    reads CLOCK_MONOTONIC for MS milliseconds, printing every 10 ms
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define SECOND 1000000000LL

static int failed;

static void check(const char *what, int ok)
{
    if (!ok) {
        printf("FAILED: %s\n", what);
        failed++;
    }
}

static const char *result(long r)
{
    return r == 0 ? "0" : r == -EFAULT ? "EFAULT" : r == -EINVAL ? "EINVAL" : r > 0 ? "seconds" : "other";
}

// The syscalls themselves, -errno on failure: glibc's wrappers would read the vDSO.
static long sys(long r) { return r == -1 ? -errno : r; }
static long gettime(long clock, void *ts) { return sys(syscall(SYS_clock_gettime, clock, ts)); }
static long gettimeofday_raw(void *tv, void *tz) { return sys(syscall(SYS_gettimeofday, tv, tz)); }
static long time_raw(void *tloc) { return sys(syscall(SYS_time, tloc)); }

static long long ns(struct timespec t) { return t.tv_sec * SECOND + t.tv_nsec; }

static struct timespec now(clockid_t clock)
{
    struct timespec t = { -1, -1 };
    gettime(clock, &t);
    return t;
}

// The kernel's own view of the clock: a timer set 100 s after the value read has 90 to 100 s left.
static int kernel_agrees(clockid_t clock, struct timespec read)
{
    int fd = timerfd_create(clock, 0);
    struct itimerspec set = { .it_value = { read.tv_sec + 100, read.tv_nsec } }, left;
    int ok = fd >= 0 && timerfd_settime(fd, TFD_TIMER_ABSTIME, &set, NULL) == 0 && timerfd_gettime(fd, &left) == 0
        && left.it_value.tv_sec >= 90 && left.it_value.tv_sec < 100;
    close(fd);
    return ok;
}

static long long rusage_ns(int who)
{
    struct rusage u;
    getrusage(who, &u);
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * SECOND + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1000LL;
}

static struct timespec show(const char *name, clockid_t clock)
{
    struct timespec a = { -1, -1 }, b = { -1, -1 };
    long r = gettime(clock, &a);
    gettime(clock, &b);
    printf("clock_gettime(%s) = %s: %lld.%09ld\n", name, result(r), (long long)a.tv_sec, a.tv_nsec);
    char what[64];
    snprintf(what, sizeof what, "%s reads forward", name);
    check(what, r == 0 && a.tv_nsec >= 0 && a.tv_nsec < SECOND && ns(b) >= ns(a));
    return a;
}

static void clocks(void)
{
    check("REALTIME is the kernel's", kernel_agrees(CLOCK_REALTIME, show("REALTIME", CLOCK_REALTIME)));
    check("MONOTONIC is the kernel's", kernel_agrees(CLOCK_MONOTONIC, show("MONOTONIC", CLOCK_MONOTONIC)));
    check("BOOTTIME is the kernel's", kernel_agrees(CLOCK_BOOTTIME, show("BOOTTIME", CLOCK_BOOTTIME)));
    long long raw = ns(show("MONOTONIC_RAW", CLOCK_MONOTONIC_RAW)), mono = ns(now(CLOCK_MONOTONIC));
    check("MONOTONIC_RAW is within 1% of MONOTONIC", llabs(mono - raw) <= mono / 100 + SECOND);
    long long coarse = ns(show("REALTIME_COARSE", CLOCK_REALTIME_COARSE)), fine = ns(now(CLOCK_REALTIME));
    check("REALTIME_COARSE is at most 1 s behind REALTIME", fine - coarse >= 0 && fine - coarse < SECOND);
    coarse = ns(show("MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE)), fine = ns(now(CLOCK_MONOTONIC));
    check("MONOTONIC_COARSE is at most 1 s behind MONOTONIC", fine - coarse >= 0 && fine - coarse < SECOND);
    long long tai = ns(show("TAI", CLOCK_TAI)), realtime = ns(now(CLOCK_REALTIME));
    check("TAI is REALTIME and at most 100 leap seconds", tai - realtime > -SECOND && tai - realtime < 100 * SECOND);

    // Only the kernel knows how much CPU time the program's own threads used.
    long long process = ns(show("PROCESS_CPUTIME_ID", CLOCK_PROCESS_CPUTIME_ID));
    check("PROCESS_CPUTIME_ID is the process's (getrusage)", llabs(process - rusage_ns(RUSAGE_SELF)) < SECOND / 10);
    long long thread = ns(show("THREAD_CPUTIME_ID", CLOCK_THREAD_CPUTIME_ID));
    check("THREAD_CPUTIME_ID is the thread's (getrusage)", llabs(thread - rusage_ns(RUSAGE_THREAD)) < SECOND / 10);
    clockid_t own;
    clock_getcpuclockid(getpid(), &own);
    check("the CPU clock of the process's pid is the process's", llabs(ns(show("pid's CPU clock", own)) - rusage_ns(RUSAGE_SELF)) < SECOND / 10);

    struct timespec ts = { -1, -1 };
    printf("clock_gettime(10, ts) = %s\n", result(gettime(10, &ts)));
    printf("clock_gettime(100, ts) = %s\n", result(gettime(100, &ts)));
    check("an invalid clock writes nothing", ts.tv_sec == -1 && ts.tv_nsec == -1);
}

// Pointers the kernel refuses: NULL, an unmapped address, a read-only page, across into a
// PROT_NONE page; and a struct across two writable pages.
static void pointers(void)
{
    char *pages = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *readonly = pages + 4096, *none = pages + 2 * 4096;
    mprotect(readonly, 4096, PROT_READ);
    mprotect(none, 4096, PROT_NONE);
    printf("clock_gettime(MONOTONIC, NULL) = %s\n", result(gettime(CLOCK_MONOTONIC, NULL)));
    printf("clock_gettime(MONOTONIC, 8) = %s\n", result(gettime(CLOCK_MONOTONIC, (void *)8)));
    printf("clock_gettime(MONOTONIC, read-only) = %s\n", result(gettime(CLOCK_MONOTONIC, readonly)));
    printf("clock_gettime(REALTIME, into PROT_NONE) = %s\n", result(gettime(CLOCK_REALTIME, none - 8)));
    memset(pages, 0, 4096);
    long r = gettime(CLOCK_MONOTONIC, readonly - 8);
    struct timespec across;
    memcpy(&across, readonly - 8, 8);
    printf("clock_gettime(MONOTONIC, into read-only) = %s, first word %lld\n", result(r), (long long)across.tv_sec);
    mprotect(readonly, 4096, PROT_READ | PROT_WRITE);
    r = gettime(CLOCK_MONOTONIC, readonly - 8);
    memcpy(&across, readonly - 8, sizeof across);
    printf("clock_gettime(MONOTONIC, across two pages) = %s: %lld.%09ld\n", result(r), (long long)across.tv_sec, across.tv_nsec);
    check("MONOTONIC across two pages is the kernel's", r == 0 && kernel_agrees(CLOCK_MONOTONIC, across));
    mprotect(readonly, 4096, PROT_READ);
    for (int i = 0; i < 4096; i++)
        check("a refused write leaves the read-only page as it was", readonly[i] == 0 || i < 8);

    struct timeval tv = { -1, -1 };
    r = gettimeofday_raw(&tv, NULL);
    printf("gettimeofday(tv, NULL) = %s: %lld.%06ld\n", result(r), (long long)tv.tv_sec, (long)tv.tv_usec);
    long long realtime = ns(now(CLOCK_REALTIME)), tod = tv.tv_sec * SECOND + tv.tv_usec * 1000LL;
    check("gettimeofday is REALTIME, in microseconds", tv.tv_usec >= 0 && tv.tv_usec < 1000000 && realtime - tod >= 0 && realtime - tod < SECOND);
    printf("gettimeofday(NULL, NULL) = %s\n", result(gettimeofday_raw(NULL, NULL)));
    struct timezone tz = { -1, -1 };
    r = gettimeofday_raw(&tv, &tz);
    printf("gettimeofday(tv, tz) = %s: %lld.%06ld, tz %d %d\n", result(r), (long long)tv.tv_sec, (long)tv.tv_usec, tz.tz_minuteswest, tz.tz_dsttime);
    tv.tv_sec = -1;
    long bad_tz = gettimeofday_raw(&tv, (void *)8);
    // The kernel writes tv before it finds tz refused (kernel/time/time.c).
    printf("gettimeofday(tv, 8) = %s, tv written: %s\n", result(bad_tz), tv.tv_sec != -1 ? "yes" : "no");
    printf("gettimeofday(8, NULL) = %s\n", result(gettimeofday_raw((void *)8, NULL)));
    printf("gettimeofday(read-only, NULL) = %s\n", result(gettimeofday_raw(readonly, NULL)));

    time_t t = -1;
    long seconds = time_raw(NULL);
    printf("time(NULL) = %s: %ld\n", result(seconds), seconds);
    check("time is REALTIME's seconds", seconds <= ns(now(CLOCK_REALTIME)) / SECOND && seconds >= ns(now(CLOCK_REALTIME_COARSE)) / SECOND - 1);
    seconds = time_raw(&t);
    printf("time(&t) = %s: %ld\n", result(seconds), seconds);
    check("time stores what it returns", t == seconds);
    printf("time(8) = %s\n", result(time_raw((void *)8)));
    printf("time(read-only) = %s\n", result(time_raw(readonly)));
    check("a refused write leaves the read-only page as it was", readonly[8] == 0);
}

static void spin(long milliseconds)
{
    struct timespec start = now(CLOCK_MONOTONIC), t = start;
    long long reads = 0, next = 0;
    while (ns(t) - ns(start) < milliseconds * 1000000LL) {
        t = now(CLOCK_MONOTONIC);
        reads++;
        if (ns(t) - ns(start) >= next) {
            printf("at %lld.%09ld, %lld reads\n", (long long)t.tv_sec, t.tv_nsec, reads);
            fflush(stdout);
            next += 10000000LL;
        }
    }
    printf("spun %lld reads\n", reads);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "spin") == 0) {
        spin(atol(argv[2]));
        return 0;
    }
    clocks();
    pointers();
    printf("checks failed: %d\n", failed);
    return failed != 0;
}
