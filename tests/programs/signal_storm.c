// Two interval timers firing every few hundred microseconds into a busy loop: signals arrive
// everywhere, at times at the first instruction of the other's handler, whose frame is then the
// top of the stack; and the SIGALRM handler reads the time stamp counter.
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>
#include <x86intrin.h>

static volatile long alarms, profs, mix;

static void on_alarm(int s)
{
    alarms++;
    mix = mix * 31 + (long)(__rdtsc() & 1);
}

static void on_prof(int s)
{
    profs++;
    mix = mix * 17 + 3;
}

int main(void)
{
    signal(SIGALRM, on_alarm);
    signal(SIGPROF, on_prof);
    struct itimerval real = { { 0, 300 }, { 0, 300 } }, prof = { { 0, 400 }, { 0, 400 } };
    setitimer(ITIMER_REAL, &real, NULL);
    setitimer(ITIMER_PROF, &prof, NULL);
    unsigned long x = 1;
    for (long i = 0; i < 20000000; i++) {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        if ((i & 0xfffff) == 0) {
            printf("step %ld %lu\n", i >> 20, x >> 40);
            fflush(stdout);
        }
    }
    struct itimerval off = { 0 };
    setitimer(ITIMER_REAL, &off, NULL);
    setitimer(ITIMER_PROF, &off, NULL);
    printf("x %lu, signals caught: %d\n", x, alarms > 0 && profs > 0);
    return 0;
}
