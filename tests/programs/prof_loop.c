/* A SIGPROF interval timer interrupting a busy loop that makes no syscall. At -O0 the loop
 * `while (profs < 10) spin++;` keeps spin on the stack: where the signal lands after the load
 * of profs, every register is the same at every pass, and only the top of the stack tells the
 * passes apart. The handler counts its calls; the loop ends after ten. */
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
    long spin = 0;
    while (profs < 10)
        spin++;
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_PROF, &off, NULL);
    /* spin's value depends on the moment each signal came: it must replay the same. */
    printf("%d profiling signals handled, spin %s\n", profs, spin > 0 ? "ran" : "did not run");
    printf("spin: %ld\n", spin);
    return 0;
}
