/* A pid namespace of its own (in a user namespace of its own where it may not make one alone, as
 * unshare -Urpf does): its first child there is pid 1, the namespace's init, which vforks and
 * execs a program, as a shell runs a command, and ends leaving a child of its own, which the
 * kernel then kills. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int init(void)
{
    printf("init: pid %d, parent %d\n", getpid(), getppid());
    if (fork() == 0) {
        pause();
        _exit(0);
    }
    pid_t command = vfork();
    if (command == 0) {
        execl("/bin/true", "true", (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(command, &status, 0);
    printf("init: /bin/true exited %d\n", WEXITSTATUS(status));
    return 7;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (unshare(CLONE_NEWPID) != 0 && unshare(CLONE_NEWUSER | CLONE_NEWPID) != 0) {
        printf("no pid namespace: %s\n", strerror(errno));
        return 0;
    }
    pid_t child = fork();
    if (child == 0)
        return init();
    int status;
    waitpid(child, &status, 0);
    printf("the namespace's init exited %d\n", WEXITSTATUS(status));
    return 0;
}
