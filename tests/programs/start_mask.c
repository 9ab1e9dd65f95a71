/* The signal mask a program starts with is its parent's (execve(2) keeps it). Run as
 * `start_mask --block COMMAND...` it blocks SIGUSR1, SIGTERM and SIGRTMIN+3 and execs COMMAND
 * (rewind record, or itself); run alone, it prints the signals blocked at its start, and shows that
 * a blocked SIGUSR1 it raises stays pending. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "--block") == 0) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGUSR1);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGRTMIN + 3);
        sigprocmask(SIG_BLOCK, &set, NULL);
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        return 127;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    sigset_t mask, pending;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    printf("blocked at start:");
    for (int s = 1; s < NSIG; s++)
        if (sigismember(&mask, s))
            printf(" %d", s);
    printf("\n");
    raise(SIGUSR1);
    sigpending(&pending);
    printf("SIGUSR1 raised: %s\n", sigismember(&pending, SIGUSR1) ? "pending" : "delivered or lost");
    return 0;
}
