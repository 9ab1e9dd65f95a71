/* gdb debuggee: handled signals of every kind arrive one after another, and a child ends
 * (SIGCHLD); gdb must name each as it is (its own numbering differs from Linux's). */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t seen;

static void on_signal(int sig) { seen += sig; }

int main(void)
{
    int signals[] = { SIGUSR1, SIGALRM, SIGPIPE, SIGRTMIN + 1 };
    for (int i = 0; i < 4; i++)
        signal(signals[i], on_signal);
    signal(SIGCHLD, on_signal);
    if (fork() == 0)
        _exit(0);
    wait(NULL);
    for (int i = 0; i < 4; i++)
        raise(signals[i]);
    printf("seen %d\n", (int)seen); /* marker: done */
    return 0;
}
