// The raw cost of a ptrace stop on this machine: a child makes N getppid() syscalls
// while its parent PTRACE_SYSCALLs it through each entry and exit (2N stops); the same
// child runs again untraced for the baseline.
// Usage: ptrace_stop [N]   (default 100000)
#include "one_cpu.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void child(long n, int traced)
{
    if (traced) {
        ptrace(PTRACE_TRACEME, 0, 0, 0);
        raise(SIGSTOP);
    }
    for (long i = 0; i < n; i++)
        syscall(SYS_getppid);
    _exit(0);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000L;
    pin_here();

    double t0 = now();
    pid_t pid = fork();
    if (pid == 0)
        child(n, 0);
    int status;
    waitpid(pid, &status, 0);
    double untraced = now() - t0;

    pid = fork();
    if (pid == 0)
        child(n, 1);
    waitpid(pid, &status, 0); // the child's SIGSTOP
    ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL);
    long stops = 0;
    t0 = now();
    for (;;) {
        ptrace(PTRACE_SYSCALL, pid, 0, 0);
        if (waitpid(pid, &status, 0) < 0 || WIFEXITED(status) || WIFSIGNALED(status))
            break;
        stops++;
    }
    double traced = now() - t0;

    printf("syscalls: %ld\n", n);
    printf("stops: %ld\n", stops);
    printf("untraced_s: %.6f\n", untraced);
    printf("traced_s: %.6f\n", traced);
    printf("us_per_stop: %.3f\n", (traced - untraced) * 1e6 / (stops > 0 ? stops : 1));
    return 0;
}
