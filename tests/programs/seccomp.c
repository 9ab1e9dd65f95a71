// A program with seccomp filters of its own: a syscall denied with an errno, one trapped to a
// SIGSYS handler, one traced with no tracer (ENOSYS), fork denied, the filter spread to a thread
// (TSYNC), strict mode in a child, and the filters kept across exec. Argument "exec'd" is the
// image after exec, which checks that the filter is still there.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static volatile int trapped;

static void on_sigsys(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    ucontext_t *uc = context;
    trapped = info->si_syscall;
    uc->uc_mcontext.gregs[REG_RAX] = 4242;
}

static long install(unsigned flags)
{
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getppid, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getpriority, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_getuid, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | 7),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_fork, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = { sizeof filter / sizeof filter[0], filter };
    return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

static void check(const char *who)
{
    errno = 0;
    long r = syscall(__NR_getppid);
    printf("%s: getppid %ld errno %s\n", who, r, strerror(errno));
    errno = 0;
    r = syscall(__NR_getuid);
    printf("%s: getuid %ld errno %s\n", who, r, strerror(errno));
    r = syscall(__NR_getpriority, PRIO_PROCESS, 0);
    printf("%s: getpriority %ld, trapped syscall %d\n", who, r, trapped);
}

static int go[2], done[2];

static void *worker(void *arg)
{
    (void)arg;
    char c;
    if (read(go[0], &c, 1) != 1)
        return NULL;
    check("worker");
    fflush(stdout);
    if (write(done[1], "d", 1) != 1)
        return NULL;
    return NULL;
}

int main(int argc, char **argv)
{
    struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
    sigaction(SIGSYS, &sa, NULL);
    if (argc > 1) {
        printf("after exec: mode %d\n", prctl(PR_GET_SECCOMP));
        check("exec'd");
        return 0;
    }
    printf("mode before: %d\n", prctl(PR_GET_SECCOMP));
    long bad = syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, NULL);
    printf("bad filter: %ld errno %s\n", bad, strerror(errno));
    fflush(stdout);

    pid_t child = fork();
    if (child == 0) {
        prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT);
        static const char msg[] = "strict child: writes\n";
        syscall(__NR_write, 1, msg, sizeof msg - 1);
        syscall(__NR_getpid);
        syscall(__NR_write, 1, "strict child: not killed\n", 25);
        syscall(__NR_exit, 3);
    }
    int status;
    waitpid(child, &status, 0);
    printf("strict child: %s %d\n", WIFSIGNALED(status) ? "killed by signal" : "exited", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));

    pthread_t thread;
    if (pipe(go) || pipe(done) || pthread_create(&thread, NULL, worker, NULL))
        return 1;
    printf("install: %ld\n", install(SECCOMP_FILTER_FLAG_TSYNC));
    printf("mode after: %d\n", prctl(PR_GET_SECCOMP));
    check("main");
    fflush(stdout);
    char c;
    if (write(go[1], "g", 1) != 1 || read(done[0], &c, 1) != 1)
        return 1;
    pthread_join(thread, NULL);

    errno = 0;
    pid_t denied = fork();
    printf("fork: %d errno %s\n", denied, strerror(errno));
    // Long enough for a few checkpoints of the filtered process.
    long sum = 0;
    for (int i = 0; i < 400; i++) {
        struct timespec ts = { 0, 1000000 };
        nanosleep(&ts, NULL);
        sum += syscall(__NR_getppid);
    }
    printf("sum %ld\n", sum);
    fflush(stdout);
    execl("/proc/self/exe", argv[0], "exec'd", (char *)NULL);
    printf("exec: %s\n", strerror(errno));
    return 1;
}
