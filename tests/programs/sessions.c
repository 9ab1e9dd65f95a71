/* Sessions and process groups among recorded processes: child A makes a session of its own and
 * tells its parent with SIGUSR1 (whose si_pid must be A's); children B and C share a new process
 * group, B's, which C joins; the parent kills that group with killpg and reaps it with wait4 and
 * waitid on the group; waitid WNOHANG finds A alive, and A's SIGTERM death comes with a SIGCHLD
 * whose si_pid is A's. Pids differ from run to run: each line prints relations between them. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t usr1_from, chld_from;

static void on_usr1(int sig, siginfo_t *info, void *context) { usr1_from = info->si_pid; }

static void on_chld(int sig, siginfo_t *info, void *context) { chld_from = info->si_pid; }

static const char *yes(int condition) { return condition ? "yes" : "no"; }

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa = {0};
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sa.sa_sigaction = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_sigaction = on_chld;
    sigaction(SIGCHLD, &sa, NULL);
    // SIGUSR1 stays blocked but in sigsuspend, so that A's signal cannot come before the wait.
    sigset_t usr1, unblocked;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, &unblocked);

    pid_t a = fork();
    if (a == 0) {
        pid_t sid = setsid();
        printf("A: setsid gave my pid: %s, my group is my pid: %s\n", yes(sid == getpid()), yes(getpgid(0) == getpid()));
        kill(getppid(), SIGUSR1);
        for (;;)
            pause();
    }

    int ready[2];
    if (pipe(ready) != 0)
        return 1;
    char byte;
    pid_t b = fork();
    if (b == 0) {
        setpgid(0, 0);
        write(ready[1], "b", 1);
        for (;;)
            pause();
    }
    read(ready[0], &byte, 1);
    pid_t c = fork();
    if (c == 0) {
        setpgid(0, b);
        write(ready[1], "c", 1);
        for (;;)
            pause();
    }
    read(ready[0], &byte, 1);

    while (usr1_from == 0)
        sigsuspend(&unblocked);
    printf("SIGUSR1 came from A: %s\n", yes(usr1_from == a));
    printf("A leads its own session: %s, and not ours: %s\n", yes(getsid(a) == a && getpgid(a) == a), yes(getsid(0) != a));
    printf("B leads a group: %s, C is in B's group: %s, both in our session: %s\n",
           yes(getpgid(b) == b), yes(getpgid(c) == b), yes(getsid(b) == getsid(0) && getsid(c) == getsid(0)));
    int moved = setpgid(c, a);
    printf("moving C into A's group of another session: %d, %s\n", moved, strerror(errno));

    killpg(b, SIGKILL);
    int status;
    pid_t first = wait4(-b, &status, 0, NULL);
    int first_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    siginfo_t info;
    memset(&info, 0, sizeof info);
    int waited = waitid(P_PGID, b, &info, WEXITED);
    pid_t second = info.si_pid;
    printf("wait4 and waitid on B's group reaped B and C: %s, both killed by SIGKILL: %s (waitid: %d, CLD_KILLED: %s)\n",
           yes((first == b && second == c) || (first == c && second == b)), yes(first_signal == SIGKILL && info.si_status == SIGKILL),
           waited, yes(info.si_code == CLD_KILLED));
    pid_t none = wait4(-b, &status, WNOHANG, NULL);
    printf("wait4 on the empty group: %d, %s\n", (int)none, strerror(errno));

    memset(&info, 0, sizeof info);
    printf("waitid WNOHANG on A while it lives: %d, si_pid %d\n", waitid(P_PID, a, &info, WEXITED | WNOHANG), (int)info.si_pid);
    chld_from = 0;
    kill(a, SIGTERM);
    pid_t reaped = waitpid(a, &status, 0);
    printf("A reaped: %s, killed by SIGTERM: %s, its SIGCHLD came from A: %s\n",
           yes(reaped == a), yes(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM), yes(chld_from == a));
    return 0;
}
