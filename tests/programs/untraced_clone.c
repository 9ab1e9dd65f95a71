/* Children created with CLONE_UNTRACED, by clone and by clone3: they run, write and exit
 * with their own status, and the parent reaps them. */
#define _GNU_SOURCE
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int child_main(void *arg)
{
    (void)arg;
    write(1, "clone's child runs\n", 19);
    return 5;
}

static void reap(const char *how, pid_t child)
{
    int status;
    pid_t r = waitpid(child, &status, 0);
    printf("%s: reaped %s, exit %d\n", how, r == child ? "the child" : "other", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    char *stack = malloc(1 << 16);
    reap("clone(CLONE_UNTRACED)", clone(child_main, stack + (1 << 16), CLONE_UNTRACED | SIGCHLD, NULL));

    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_UNTRACED;
    args.exit_signal = SIGCHLD;
    long child = syscall(SYS_clone3, &args, sizeof args);
    if (child == 0) {
        write(1, "clone3's child runs\n", 20);
        syscall(SYS_exit_group, 6);
    }
    reap("clone3(CLONE_UNTRACED)", (pid_t)child);
    printf("clone3's flags afterwards: %s\n", args.flags == CLONE_UNTRACED ? "as given" : "changed");
    return 0;
}
