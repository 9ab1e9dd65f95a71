/* The pressures a log that Rewind keeps in the program must stand (its page of time reads, its
 * page of hooked syscalls): main and two threads going round for 120 ms each, longer than the
 * recorder's 50 ms slice (the log fills, preemptions land amid its code); then main going round
 * under a 1 ms interval timer whose handler makes the calls too (signals arrive amid the log's
 * code); then a forked child going on from its copy of the log. A program gives the round
 * (`spin`: for ms milliseconds, what its calls answered mixed into *sum, how many rounds it went
 * returned) and what the handler calls (`tick`); how far each went, and what it saw, is printed,
 * and must come back in replay. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <time.h>

typedef long (*pressure_spin)(long ms, unsigned long *sum);
typedef unsigned long (*pressure_tick)(unsigned long sum);

static volatile sig_atomic_t pressure_ticks;
static volatile unsigned long pressure_tick_sum;
static pressure_tick pressure_handler_calls;

static void pressure_on_alarm(int sig)
{
    (void)sig;
    int saved = errno;
    pressure_tick_sum = pressure_handler_calls(pressure_tick_sum);
    pressure_ticks++;
    errno = saved;
}

/* Nanoseconds from a to b, for a spin's own clock. */
static long ns_between(const struct timespec *a, const struct timespec *b)
{
    return (b->tv_sec - a->tv_sec) * 1000000000L + (b->tv_nsec - a->tv_nsec);
}

struct pressure_worker {
    pthread_t thread;
    pressure_spin spin;
    long rounds;
    unsigned long sum;
};

static void *pressure_work(void *arg)
{
    struct pressure_worker *w = arg;
    w->rounds = w->spin(120, &w->sum);
    return NULL;
}

/* Runs the pressures with spin and tick, printing each one's rounds (named `unit`) and sums; the program's exit status. */
static int log_pressure(pressure_spin spin, pressure_tick tick, const char *unit)
{
    struct pressure_worker workers[2];
    memset(workers, 0, sizeof workers);
    for (int i = 0; i < 2; i++) {
        workers[i].spin = spin;
        pthread_create(&workers[i].thread, NULL, pressure_work, &workers[i]);
    }
    unsigned long main_sum = 0;
    long main_rounds = spin(120, &main_sum);
    for (int i = 0; i < 2; i++)
        pthread_join(workers[i].thread, NULL);
    printf("main: %ld %s, sum %lx\n", main_rounds, unit, main_sum);
    for (int i = 0; i < 2; i++)
        printf("worker %d: %ld %s, sum %lx\n", i, workers[i].rounds, unit, workers[i].sum);

    pressure_handler_calls = tick;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = pressure_on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval every = {{0, 1000}, {0, 1000}};
    setitimer(ITIMER_REAL, &every, NULL);
    unsigned long alarmed_sum = 0;
    long alarmed_rounds = spin(60, &alarmed_sum);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    printf("under alarms: %ld %s, sum %lx; alarms: %d, sum %lx\n", alarmed_rounds, unit, alarmed_sum, (int)pressure_ticks, pressure_tick_sum);

    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        unsigned long sum = 0;
        long rounds = spin(40, &sum);
        printf("child: %ld %s, sum %lx\n", rounds, unit, sum);
        return 0;
    }
    int status;
    waitpid(child, &status, 0);
    printf("child ended %d\n", WEXITSTATUS(status));
    return 0;
}
