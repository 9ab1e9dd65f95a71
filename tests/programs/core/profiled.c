/* Rewind.Core.Tests end-to-end debuggee: a SIGPROF interval timer interrupting a busy loop that
 * makes no syscall, three times; each signal's place is found in replay by a search. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

static volatile int profs;

static void on_prof(int signal)
{
    (void)signal;
    profs++;
}

int main(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_prof;
    sigaction(SIGPROF, &action, NULL);
    struct itimerval every = { { 0, 4000 }, { 0, 4000 } };
    setitimer(ITIMER_PROF, &every, NULL);
    unsigned long spin = 0;
    while (profs < 3)
        spin++;
    printf("three profiling signals after %s laps\n", spin > 0 ? "some" : "no");
    return 0;
}
