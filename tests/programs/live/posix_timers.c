#define _GNU_SOURCE
// A job paced by POSIX timers (timer_create), whose first timer was deleted so that the ids
// kept start at 1: a periodic one every 10 ms whose signal carries a value its handler checks,
// one set an hour ahead, one never armed, a SIGEV_THREAD one that runs a function once 1.5 s
// in (glibc's helper thread), and one on the process's CPU time that paces the busy end.
// Resumed, each must be there under its own timer_t, armed for the time it had left.
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct pace { int unused; } pace;
static volatile sig_atomic_t ticks, cpu_ticks, wrong, far_fired;
static atomic_int thread_runs, thread_wrong;

static void tick(int sig, siginfo_t *info, void *context)
{
    (void)sig, (void)context;
    if (info->si_code != SI_TIMER || info->si_value.sival_ptr != &pace)
        wrong++;
    ticks++;
}

static void cpu_tick(int sig, siginfo_t *info, void *context)
{
    (void)sig, (void)context;
    if (info->si_code != SI_TIMER || info->si_value.sival_int != 77)
        wrong++;
    cpu_ticks++;
}

static void far(int sig)
{
    (void)sig;
    far_fired = 1;
}

static void once(union sigval value)
{
    if (value.sival_int != 1234)
        thread_wrong++;
    thread_runs++;
}

static void handle(int sig, void (*action)(int, siginfo_t *, void *))
{
    struct sigaction a;
    memset(&a, 0, sizeof a);
    a.sa_sigaction = action;
    a.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(sig, &a, NULL);
}

static timer_t make(clockid_t clock, int notify, int sig, union sigval value)
{
    struct sigevent event;
    memset(&event, 0, sizeof event);
    event.sigev_notify = notify;
    event.sigev_signo = sig;
    event.sigev_value = value;
    event.sigev_notify_function = once;
    timer_t id;
    if (timer_create(clock, &event, &id) != 0)
        perror("timer_create");
    return id;
}

static void arm(timer_t id, long value_ms, long interval_ms)
{
    struct itimerspec spec = {{interval_ms / 1000, interval_ms % 1000 * 1000000}, {value_ms / 1000, value_ms % 1000 * 1000000}};
    if (timer_settime(id, 0, &spec, NULL) != 0)
        perror("timer_settime");
}

/// "armed" with the seconds left as a range, or what timer_gettime said of it.
static const char *state(timer_t id, long from, long to)
{
    struct itimerspec now;
    if (timer_gettime(id, &now) != 0)
        return "gone";
    if (now.it_value.tv_sec == 0 && now.it_value.tv_nsec == 0)
        return "disarmed";
    return now.it_value.tv_sec >= from && now.it_value.tv_sec < to ? "armed" : "armed for another time";
}

int main(void)
{
    handle(SIGRTMIN, tick);
    handle(SIGRTMIN + 1, cpu_tick);
    signal(SIGUSR1, far);
    timer_delete(make(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGALRM, (union sigval){0}));
    timer_t periodic = make(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGRTMIN, (union sigval){.sival_ptr = &pace});
    timer_t ahead = make(CLOCK_REALTIME, SIGEV_SIGNAL, SIGUSR1, (union sigval){0});
    timer_t idle = make(CLOCK_BOOTTIME, SIGEV_NONE, 0, (union sigval){0});
    timer_t thread = make(CLOCK_MONOTONIC, SIGEV_THREAD, 0, (union sigval){.sival_int = 1234});
    timer_t cpu = make(CLOCK_PROCESS_CPUTIME_ID, SIGEV_SIGNAL, SIGRTMIN + 1, (union sigval){.sival_int = 77});
    printf("timers %ld %ld %ld %ld\n", (long)periodic, (long)ahead, (long)idle, (long)cpu);
    arm(ahead, 3600 * 1000, 0);
    arm(thread, 1500, 0);
    arm(cpu, 200, 20);
    arm(periodic, 10, 10);
    for (int shown = 0; ticks < 200;) {
        pause();
        // Two ticks may come before pause returns: each multiple of 5 gets its line.
        for (; shown < ticks / 5; shown++)
            printf("tick %d\n", (shown + 1) * 5);
        fflush(stdout);
    }
    arm(periodic, 0, 0);
    struct timespec nap = {0, 10 * 1000 * 1000};
    for (int i = 0; i < 500 && thread_runs == 0; i++)
        nanosleep(&nap, NULL);
    printf("thread timer ran %d time(s), %d wrong value(s)\n", thread_runs, thread_wrong);
    // The busy end: only the CPU-time timer's ticks end it.
    for (int shown = 0; shown < 5;)
        for (; shown < cpu_ticks && shown < 5; shown++)
            printf("cpu tick %d\n", shown + 1);
    printf("periodic %s, far ahead %s (fired: %d), idle %s\n", state(periodic, 0, 0), state(ahead, 3000, 3600), (int)far_fired, state(idle, 0, 0));
    // A tick may come between the loop's last test and the disarming: at least 200 is right.
    printf("done after %s ticks, %d wrong value(s)\n", ticks >= 200 ? "200" : "too few", (int)wrong);
    return 0;
}
