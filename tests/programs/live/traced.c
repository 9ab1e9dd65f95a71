// A job already traced by another process (its parent, as strace or gdb would trace it): ptrace
// admits one tracer at a time, so hibernation must refuse it, naming the tracer that holds it.
// The parent only passes the child's signals on and ends with its status.
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    pid_t child = fork();
    if (child == 0) {
        ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        struct timespec step = {0, 20 * 1000 * 1000};
        for (int i = 0; i < 150; i++) {
            printf("step %d\n", i);
            fflush(stdout);
            nanosleep(&step, NULL);
        }
        return 0;
    }
    int status;
    while (waitpid(child, &status, 0) == child) {
        if (WIFEXITED(status))
            return WEXITSTATUS(status);
        if (WIFSIGNALED(status))
            return 128 + WTERMSIG(status);
        ptrace(PTRACE_CONT, child, NULL, (void *)(long)WSTOPSIG(status));
    }
    perror("waitpid");
    return 1;
}
