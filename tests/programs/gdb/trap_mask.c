/* gdb debuggee: the program blocks SIGTRAP, with a handler, then ignores it, and reads both back.
 * A breakpoint or a step of replay's is a trap whose SIGTRAP the kernel forces, which unblocks it
 * and resets its handler to SIG_DFL: the program must read back what it set. */
#include <signal.h>
#include <stdio.h>

static volatile int counter;
static int blocked_after, ignored_after;

static void on_trap(int sig) { (void)sig; }

static void work(int by)
{
    counter += by;
    counter *= 2;
}

int main(void)
{
    sigset_t trap, now;
    struct sigaction sa;
    signal(SIGTRAP, on_trap);
    sigemptyset(&trap);
    sigaddset(&trap, SIGTRAP);
    sigprocmask(SIG_BLOCK, &trap, NULL);
    work(1);
    work(2);
    sigprocmask(SIG_BLOCK, NULL, &now);
    sigaction(SIGTRAP, NULL, &sa);
    blocked_after = sigismember(&now, SIGTRAP) && sa.sa_handler == on_trap;
    sigprocmask(SIG_UNBLOCK, &trap, NULL);
    signal(SIGTRAP, SIG_IGN);
    work(3);
    sigaction(SIGTRAP, NULL, &sa);
    ignored_after = sa.sa_handler == SIG_IGN;
    printf("blocked and handled %d, ignored %d, counter %d\n", blocked_after, ignored_after, counter); // L:done
    return 0;
}
