// A job paced by an interval timer: SIGALRM every 10 ms, counted by its handler on an
// alternate signal stack; it ends after 300 ticks. Resumed, the timer must be armed again.
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t ticks;

static void tick(int sig)
{
    (void)sig;
    ticks++;
}

int main(void)
{
    stack_t alt = {.ss_sp = malloc(65536), .ss_size = 65536};
    sigaltstack(&alt, NULL);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = tick;
    action.sa_flags = SA_ONSTACK | SA_RESTART;
    sigaction(SIGALRM, &action, NULL);
    struct itimerval every = {{0, 10000}, {0, 10000}};
    setitimer(ITIMER_REAL, &every, NULL);
    int shown = 0;
    while (ticks < 300) {
        pause();
        if (ticks / 10 > shown) {
            shown = ticks / 10;
            printf("tick %d\n", shown * 10);
            fflush(stdout);
        }
    }
    stack_t now;
    sigaltstack(NULL, &now);
    printf("done after %d ticks, alternate stack %s\n", (int)ticks, now.ss_sp == alt.ss_sp ? "kept" : "lost");
    return 0;
}
