// A child dies of SIGSEGV in a function of its own while the parent goes on and reports it.
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/wait.h>

static volatile int *target;

static int __attribute__((noinline)) crash_here(int depth)
{
    if (depth > 0)
        return crash_here(depth - 1) + 1;
    *target = 42;
    return 0;
}

int main(void)
{
    printf("parent: starting a child\n");
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        printf("child: about to crash\n");
        fflush(stdout);
        return crash_here(3);
    }
    int status;
    waitpid(child, &status, 0);
    if (WIFSIGNALED(status))
        printf("parent: child killed by signal %d (%s)\n", WTERMSIG(status), WTERMSIG(status) == SIGSEGV ? "SIGSEGV" : "other");
    int sum = 0;
    for (int i = 1; i <= 100; i++)
        sum += i;
    printf("parent: goes on, sum %d\n", sum);
    return 0;
}
