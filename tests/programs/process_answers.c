/* What the kernel writes through a pointer for questions about processes, set to 0x55 first:
 * prctl's answers, capget's version probe and its one or two structs, the pidfd of a
 * clone(CLONE_PIDFD | CLONE_VFORK) and of clone3, and what waits that find nothing leave alone
 * (wait4 with WNOHANG writes no status; waitid clears a few fields only), as do a failed receive
 * and a timed-out rt_sigtimedwait. The waits and receives are made while a child runs, when the
 * recorder lends them buffers of its own; so is an accept into a buffer shorter than the address. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef PR_GET_AUXV
#define PR_GET_AUXV 0x41555856
#endif

static char stack[64 << 10];

static int vfork_child(void *arg)
{
    (void)arg;
    _exit(3);
}

static void prctls(void)
{
    int v = 0x55555555;
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    int r = prctl(PR_GET_CHILD_SUBREAPER, &v);
    printf("PR_GET_CHILD_SUBREAPER = %d: %d\n", r, v);
    // None is set: a parent death signal comes when the thread that forked us ends, which is a runtime's to choose.
    v = 0x55555555;
    r = prctl(PR_GET_PDEATHSIG, &v);
    printf("PR_GET_PDEATHSIG = %d: %d\n", r, v);
    char name[16];
    memset(name, 0x55, sizeof name);
    prctl(PR_SET_NAME, "answers-name");
    r = prctl(PR_GET_NAME, name);
    printf("PR_GET_NAME = %d: %s\n", r, name);
    uint64_t tid_address = 0;
    r = prctl(PR_GET_TID_ADDRESS, &tid_address);
    printf("PR_GET_TID_ADDRESS = %d: %s\n", r, tid_address != 0 ? "an address" : "none");
    unsigned size = 0x55555555;
    r = prctl(PR_SET_MM, PR_SET_MM_MAP_SIZE, &size, 0, 0);
    printf("PR_SET_MM_MAP_SIZE = %d: %s\n", r, r == 0 ? (size == sizeof(struct prctl_mm_map) ? "its size" : "another size") : strerror(errno));
    unsigned long auxv[4];
    memset(auxv, 0x55, sizeof auxv);
    long whole = prctl(PR_GET_AUXV, auxv, sizeof auxv, 0, 0);
    printf("PR_GET_AUXV = %s: first type %lu, %s\n", whole > (long)sizeof auxv ? "more than asked" : "no more", auxv[0],
        whole < 0 ? strerror(errno) : "read");
}

static void capabilities(void)
{
    struct __user_cap_header_struct header = { 0, 0 };
    long r = syscall(SYS_capget, &header, NULL);
    printf("capget probe = %ld: version %#x\n", r, header.version);
    struct __user_cap_data_struct data[2];
    memset(data, 0x55, sizeof data);
    header.version = _LINUX_CAPABILITY_VERSION_1;
    r = syscall(SYS_capget, &header, data);
    printf("capget v1 = %ld: effective %#x, second struct %s\n", r, data[0].effective, data[1].effective == 0x55555555 ? "untouched" : "written");
    memset(data, 0x55, sizeof data);
    header.version = _LINUX_CAPABILITY_VERSION_3;
    r = syscall(SYS_capget, &header, data);
    printf("capget v3 = %ld: effective %#x %#x\n", r, data[0].effective, data[1].effective);
}

static void pidfds(void)
{
    int pidfd = 0x55555555, status;
    pid_t pid = clone(vfork_child, stack + sizeof stack, CLONE_PIDFD | CLONE_VFORK | SIGCHLD, NULL, &pidfd);
    waitpid(pid, &status, 0);
    printf("clone(CLONE_PIDFD | CLONE_VFORK): pidfd %d, the child exited %d\n", pidfd, WEXITSTATUS(status));
    int pidfd3 = 0x55555555;
    struct clone_args args = { .flags = CLONE_PIDFD, .pidfd = (uintptr_t)&pidfd3, .exit_signal = SIGCHLD };
    pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0)
        _exit(4);
    waitpid(pid, &status, 0);
    printf("clone3(CLONE_PIDFD): pidfd %d, the child exited %d\n", pidfd3, WEXITSTATUS(status));
}

static void while_a_child_runs(void)
{
    pid_t child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    int status = 0x55555555;
    int r = waitpid(child, &status, WNOHANG);
    printf("wait4(WNOHANG) = %d: status %#x\n", r, status);
    siginfo_t info;
    memset(&info, 0x55, sizeof info);
    r = waitid(P_PID, child, &info, WEXITED | WNOHANG);
    printf("waitid(WNOHANG) = %d: si_pid %d, si_signo %d, byte 100 %#x\n", r, info.si_pid, info.si_signo, ((unsigned char *)&info)[100]);

    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    memset(&info, 0x55, sizeof info);
    struct timespec now = { 0, 0 };
    r = sigtimedwait(&usr1, &info, &now);
    printf("sigtimedwait = %d %s: si_signo %#x\n", r, strerror(errno), (unsigned)info.si_signo);

    int pair[2];
    socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, pair);
    char name[16], data[8];
    memset(name, 0x55, sizeof name);
    struct iovec iov = { data, sizeof data };
    struct msghdr msg = { .msg_name = name, .msg_namelen = sizeof name, .msg_iov = &iov, .msg_iovlen = 1 };
    r = recvmsg(pair[0], &msg, 0);
    printf("recvmsg with nothing queued = %d %s: name %#x, namelen %u\n", r, strerror(errno), (unsigned char)name[0], msg.msg_namelen);

    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in self = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof self;
    bind(listener, (struct sockaddr *)&self, sizeof self);
    listen(listener, 1);
    getsockname(listener, (struct sockaddr *)&self, &len);
    int client = socket(AF_INET, SOCK_STREAM, 0);
    connect(client, (struct sockaddr *)&self, sizeof self);
    unsigned char small[16];
    memset(small, 0x55, sizeof small);
    len = 6;
    int accepted = accept(listener, (struct sockaddr *)small, &len);
    printf("accept into 6 bytes: %s, length %u, family %d, byte 6 %#x\n", accepted >= 0 ? "a socket" : strerror(errno), len, small[0] | small[1] << 8, small[6]);

    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    printf("the child: killed by %d\n", WTERMSIG(status));
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    prctls();
    capabilities();
    pidfds();
    while_a_child_runs();
    return 0;
}
