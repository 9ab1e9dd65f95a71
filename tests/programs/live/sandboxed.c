// A job under seccomp filters of its own, installed before it starts counting: getppid fails
// with EACCES and getpriority traps to a SIGSYS handler. Each step checks both, so a resumed job
// that lost its filters prints a different line; it counts to N, a step every 20 ms.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static void on_sigsys(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    (void)info;
    ((ucontext_t *)context)->uc_mcontext.gregs[REG_RAX] = 77;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 120;
    struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
    sigaction(SIGSYS, &sa, NULL);
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getpriority, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = { sizeof filter / sizeof filter[0], filter };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
        return 1;
    struct timespec step = { 0, 20 * 1000 * 1000 };
    for (int i = 0; i < n; i++) {
        errno = 0;
        long parent = syscall(__NR_getppid);
        int denied = errno;
        long priority = syscall(__NR_getpriority, PRIO_PROCESS, 0);
        printf("step %d: getppid %ld errno %d, getpriority %ld\n", i, parent, denied, priority);
        fflush(stdout);
        nanosleep(&step, NULL);
    }
    printf("done %d steps\n", n);
    return 0;
}
