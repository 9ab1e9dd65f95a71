/* Writes to argv[1] the flags of the alternate signal stack that the kernel puts in a signal's
   frame (uc_stack.ss_flags). The process never sets a stack: execve kept the flags of the thread
   that started it (ProcessSpawnTests). */
#include <signal.h>
#include <stdio.h>
#include <ucontext.h>

static volatile int flags = -1;

static void handler(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)info;
    flags = ((ucontext_t *)context)->uc_stack.ss_flags;
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    struct sigaction action = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
    sigaction(SIGUSR1, &action, NULL);
    raise(SIGUSR1);
    FILE *out = fopen(argv[1], "w");
    if (out == NULL)
        return 1;
    fprintf(out, "ss_flags %d\n", flags);
    return fclose(out) != 0;
}
