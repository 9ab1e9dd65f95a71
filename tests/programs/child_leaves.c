// A child does what Rewind cannot record (process_vm_readv, here of its own memory): it leaves
// the recording and runs on unrecorded, printing what it read and exiting 5, while its parent
// is recorded on to its end.
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    printf("parent: before the child\n");
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        char source[] = "read through process_vm_readv", copy[64] = {0};
        struct iovec local = {copy, sizeof source}, remote = {source, sizeof source};
        ssize_t n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
        printf("child: %zd bytes: %s\n", n, copy);
        fflush(stdout);
        _exit(5);
    }
    int status;
    waitpid(child, &status, 0);
    printf("parent: the child exited %d\n", WEXITSTATUS(status));
    return 0;
}
