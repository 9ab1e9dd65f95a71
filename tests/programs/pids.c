// Process identity: pid, parent pid, thread id, process group, session, user.
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
    printf("pid: %d\n", (int)getpid());
    printf("ppid: %d\n", (int)getppid());
    printf("tid: %ld\n", (long)syscall(SYS_gettid));
    printf("pgrp: %d\n", (int)getpgrp());
    printf("sid: %d\n", (int)getsid(0));
    printf("uid: %d\n", (int)getuid());
    printf("euid: %d\n", (int)geteuid());
    printf("gid: %d\n", (int)getgid());
    printf("pid_again: %d\n", (int)getpid());
    fprintf(stderr, "pids: I am %d\n", (int)getpid());
    return 0;
}
