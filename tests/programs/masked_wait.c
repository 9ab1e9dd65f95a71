#define _GNU_SOURCE
/* Waits with a temporary signal mask, as event loops and make do: SIGUSR1 is blocked except
 * inside sigsuspend, pselect, ppoll and epoll_pwait, so it can only arrive there, and its
 * handler runs before the wait returns EINTR. A child sends each signal. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void on_usr1(int sig) { (void)sig; handled++; }

static void send_soon(void)
{
    pid_t parent = getpid();
    if (fork() == 0) {
        usleep(50000);
        kill(parent, SIGUSR1);
        _exit(0);
    }
}

static void report(const char *call, int r)
{
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("%s returned %d (%s), handled %d, SIGUSR1 blocked again: %d\n", call, r, r < 0 ? strerror(errno) : "-",
           (int)handled, sigismember(&now, SIGUSR1));
    wait(NULL);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t blocked, open;
    sigemptyset(&blocked);
    sigaddset(&blocked, SIGUSR1);
    sigprocmask(SIG_BLOCK, &blocked, &open);
    sigdelset(&open, SIGUSR1);

    send_soon();
    report("sigsuspend", sigsuspend(&open));

    int p[2];
    pipe(p);
    send_soon();
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(p[0], &readable);
    report("pselect", pselect(p[0] + 1, &readable, NULL, NULL, NULL, &open));

    send_soon();
    struct pollfd pfd = { p[0], POLLIN, 0 };
    report("ppoll", ppoll(&pfd, 1, NULL, &open));

    int ep = epoll_create1(0);
    struct epoll_event ev = { .events = EPOLLIN, .data.fd = p[0] };
    epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev);
    send_soon();
    struct epoll_event out;
    report("epoll_pwait", epoll_pwait(ep, &out, 1, -1, &open));
    return 0;
}
