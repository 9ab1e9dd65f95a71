// The floor for a trapped rdtsc on this machine: a child traps its rdtsc (PR_TSC_SIGSEGV) and
// reads it N times while its parent completes each one as the recorder does, with the fewest
// calls ptrace allows: wait, PTRACE_GETSIGINFO (a trap is SI_KERNEL), PTRACE_GETREGS,
// PTRACE_SETREGS (edx:eax and rip past the instruction), PTRACE_CONT. The untraced loop's
// time is subtracted.
// Usage: rdtsc_trap [N]   (default 100000)
#include "one_cpu.h"
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

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
        prctl(PR_SET_TSC, PR_TSC_SIGSEGV);
    }
    unsigned long long sum = 0;
    for (long i = 0; i < n; i++)
        sum += __rdtsc();
    _exit(sum == 0);
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
    ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_EXITKILL);
    long traps = 0;
    t0 = now();
    for (int signal = 0;;) {
        ptrace(PTRACE_CONT, pid, 0, signal);
        if (waitpid(pid, &status, 0) < 0 || WIFEXITED(status) || WIFSIGNALED(status))
            break;
        siginfo_t info;
        struct user_regs_struct regs;
        ptrace(PTRACE_GETSIGINFO, pid, 0, &info);
        signal = WSTOPSIG(status) == SIGSEGV && info.si_code == SI_KERNEL ? 0 : WSTOPSIG(status);
        if (signal == 0) {
            ptrace(PTRACE_GETREGS, pid, 0, &regs);
            unsigned long long tsc = __rdtsc();
            regs.rax = tsc & 0xffffffff;
            regs.rdx = tsc >> 32;
            regs.rip += 2;
            ptrace(PTRACE_SETREGS, pid, 0, &regs);
            traps++;
        }
    }
    double traced = now() - t0;

    printf("rdtsc: %ld\n", n);
    printf("traps: %ld\n", traps);
    printf("untraced_s: %.6f\n", untraced);
    printf("traced_s: %.6f\n", traced);
    printf("us_per_trap: %.3f\n", (traced - untraced) * 1e6 / (traps > 0 ? traps : 1));
    return 0;
}
