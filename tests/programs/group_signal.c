/* Signals its own process group, as a shell script's `kill 0` or an abort helper does: the
 * recorder must survive it, and the program dies of the second signal as it would alone. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig) { got = sig; }

int main(void)
{
    signal(SIGUSR1, on_usr1);
    kill(0, SIGUSR1);
    printf("handled signal %d from kill(0)\n", (int)got);
    killpg(getpgrp(), SIGUSR1);
    printf("handled signal %d from killpg\n", (int)got);
    fflush(stdout);
    signal(SIGTERM, SIG_DFL);
    kill(0, SIGTERM);
    printf("not reached\n");
    return 0;
}
