// An event loop that spends its time in waits an interrupt ends with EINTR: for a timer with no
// timeout (epoll_wait), on an empty pipe until its timeout in milliseconds (epoll_pwait, with a
// signal mask of its own) or in a timespec (epoll_pwait2), and for a signal that never comes
// (sigtimedwait). Checkpoints fall due while it waits; each is taken in the wait, which then goes
// on with the time it had left: the program never sees EINTR, and no wait ends before its timeout.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 3
#define TIMEOUT_MS 150

static long elapsed_ms(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - since->tv_sec) * 1000 + (now.tv_nsec - since->tv_nsec) / 1000000;
}

static int watch(int fd)
{
    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };
    return ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0 ? ep : -1;
}

int main(void)
{
    int fds[2];
    int timer = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec every = { { 0, 120 * 1000 * 1000 }, { 0, 120 * 1000 * 1000 } };
    if (pipe(fds) != 0 || timer < 0 || timerfd_settime(timer, 0, &every, NULL) != 0)
        return 1;
    int ticks = watch(timer), quiet = watch(fds[0]);
    if (ticks < 0 || quiet < 0)
        return 1;
    sigset_t mask, never;
    sigemptyset(&mask);
    sigemptyset(&never);
    sigaddset(&never, SIGUSR1);
    sigprocmask(SIG_BLOCK, &never, NULL);
    for (int round = 1; round <= ROUNDS; round++) {
        struct epoll_event ev;
        int n = epoll_wait(ticks, &ev, 1, -1);
        unsigned long long expirations = 0;
        if (n != 1 || read(timer, &expirations, sizeof expirations) != sizeof expirations)
            printf("round %d: epoll_wait %d (%s)\n", round, n, strerror(errno));
        else
            printf("round %d: the timer fired\n", round);
        struct timespec start;
        clock_gettime(CLOCK_MONOTONIC, &start);
        n = epoll_pwait(quiet, &ev, 1, TIMEOUT_MS, &mask);
        long waited = elapsed_ms(&start);
        if (n != 0)
            printf("round %d: epoll_pwait %d (%s)\n", round, n, strerror(errno));
        else
            printf("round %d: the pipe stayed quiet for %s\n", round, waited >= TIMEOUT_MS ? "the whole timeout" : "less than the timeout");

        struct timespec timeout = { 0, TIMEOUT_MS * 1000 * 1000 };
        clock_gettime(CLOCK_MONOTONIC, &start);
        n = epoll_pwait2(quiet, &ev, 1, &timeout, &mask);
        waited = elapsed_ms(&start);
        if (n != 0)
            printf("round %d: epoll_pwait2 %d (%s)\n", round, n, strerror(errno));
        else
            printf("round %d: epoll_pwait2 waited %s\n", round, waited >= TIMEOUT_MS ? "the whole timeout" : "less than the timeout");

        clock_gettime(CLOCK_MONOTONIC, &start);
        int got = sigtimedwait(&never, NULL, &timeout);
        waited = elapsed_ms(&start);
        if (got >= 0 || errno != EAGAIN)
            printf("round %d: sigtimedwait %d (%s)\n", round, got, strerror(errno));
        else
            printf("round %d: sigtimedwait waited %s\n", round, waited >= TIMEOUT_MS ? "the whole timeout" : "less than the timeout");
    }
    return 0;
}
