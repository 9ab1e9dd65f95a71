/* A parent stops and continues its child and sees it in waitpid(WUNTRACED | WCONTINUED):
 * WIFSTOPPED with SIGSTOP, WIFCONTINUED, then its exit; waitid(WSTOPPED) likewise. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, pid_t r, pid_t child, int status)
{
    printf("%s: %s", what, r == child ? "the child" : "other");
    if (WIFSTOPPED(status))
        printf(", stopped by %d", WSTOPSIG(status));
    else if (WIFCONTINUED(status))
        printf(", continued");
    else if (WIFEXITED(status))
        printf(", exited %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        printf(", killed by %d", WTERMSIG(status));
    printf("\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int ready[2];
    pipe(ready);
    pid_t child = fork();
    if (child == 0) {
        /* A group of its own, whose parent is in another group of the session: never orphaned,
         * so SIGTSTP stops it wherever the test runs (the kernel drops it in an orphaned group). */
        setpgid(0, 0);
        close(ready[0]);
        write(ready[1], "r", 1);
        for (int i = 0; i < 200; i++)
            usleep(1000);
        _exit(7);
    }
    close(ready[1]);
    char c;
    read(ready[0], &c, 1);
    int status;
    kill(child, SIGSTOP);
    pid_t r = waitpid(child, &status, WUNTRACED);
    show("after SIGSTOP", r, child, status);
    kill(child, SIGCONT);
    r = waitpid(child, &status, WCONTINUED);
    show("after SIGCONT", r, child, status);
    kill(child, SIGTSTP);
    siginfo_t info = { 0 };
    waitid(P_PID, child, &info, WSTOPPED);
    printf("waitid: code %s, status %d\n", info.si_code == CLD_STOPPED ? "CLD_STOPPED" : "other", info.si_status);
    kill(child, SIGCONT);
    waitid(P_PID, child, &info, WCONTINUED);
    printf("waitid: code %s, status %d\n", info.si_code == CLD_CONTINUED ? "CLD_CONTINUED" : "other", info.si_status);
    r = waitpid(child, &status, WUNTRACED | WCONTINUED);
    show("at its end", r, child, status);
    return 0;
}
