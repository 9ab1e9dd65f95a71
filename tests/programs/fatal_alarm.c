/* Two threads spin without a syscall while main, which blocks SIGALRM, prints three ticks and
 * waits: a SIGALRM nobody handles, due 55 ms after main's last tick, ends the process (status
 * 142). A spinning thread takes it, just past a recorder's 50 ms time slice, while the other
 * waits for its turn: the thread must die before the other runs, as the log says. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long laps[2];

static void *spin(void *arg)
{
    volatile unsigned long *lap = arg;
    for (;;)
        ++*lap;
    return NULL;
}

int main(void)
{
    sigset_t alarm;
    sigemptyset(&alarm);
    sigaddset(&alarm, SIGALRM);
    pthread_t threads[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&threads[i], NULL, spin, (void *)&laps[i]);
    pthread_sigmask(SIG_BLOCK, &alarm, NULL);
    for (int tick = 0; tick < 3; tick++) {
        printf("tick %d\n", tick);
        fflush(stdout);
        struct timespec step = {0, 20 * 1000 * 1000};
        nanosleep(&step, NULL);
    }
    struct itimerval due = {{0, 0}, {0, 55 * 1000}};
    setitimer(ITIMER_REAL, &due, NULL);
    for (;;)
        pause();
}
