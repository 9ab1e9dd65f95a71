/* What execve keeps (execve(2)): the signal mask, ignored dispositions and pending signals.
 * The program blocks SIGUSR1 and SIGRTMIN+2, ignores SIGUSR2, makes SIGUSR1 pending, then
 * execs itself; the new image prints what it inherited and takes the pending signal. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void on_usr1(int sig) { printf("handler: signal %d delivered after exec\n", sig); }

static void show_inherited(void)
{
    sigset_t mask, pending;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    sigpending(&pending);
    printf("after exec: SIGUSR1 blocked %d, SIGRTMIN+2 blocked %d, SIGUSR2 blocked %d\n",
           sigismember(&mask, SIGUSR1), sigismember(&mask, SIGRTMIN + 2), sigismember(&mask, SIGUSR2));
    printf("after exec: SIGUSR1 pending %d\n", sigismember(&pending, SIGUSR1));
    struct sigaction old;
    sigaction(SIGUSR2, NULL, &old);
    printf("after exec: SIGUSR2 %s\n", old.sa_handler == SIG_IGN ? "ignored" : "not ignored");
    signal(SIGUSR1, on_usr1);
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_UNBLOCK, &usr1, NULL);
    printf("after exec: done\n");
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1 && strcmp(argv[1], "again") == 0) {
        show_inherited();
        return 0;
    }
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    sigaddset(&mask, SIGRTMIN + 2);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR1);
    printf("before exec: SIGUSR1 blocked and pending, SIGUSR2 ignored\n");
    execl("/proc/self/exe", argv[0], "again", (char *)NULL);
    perror("execl");
    return 1;
}
