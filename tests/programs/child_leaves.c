// A child does what Rewind cannot record (vmsplice, which lends the child's own pages to a pipe,
// where later writes to them would change what the reader gets): it leaves the recording and
// runs on unrecorded, printing what it got and exiting 5, while its parent is recorded on to its end.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    printf("parent: before the child\n");
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        int pipefd[2];
        static char lent[] = "lent pages";
        struct iovec iov = { lent, sizeof lent };
        char got[sizeof lent] = { 0 };
        if (pipe(pipefd) != 0)
            _exit(1);
        long n = vmsplice(pipefd[1], &iov, 1, 0);
        long r = read(pipefd[0], got, sizeof got);
        printf("child: vmsplice moved %ld bytes, read back %ld: %s\n", n, r, got);
        fflush(stdout);
        _exit(5);
    }
    int status;
    waitpid(child, &status, 0);
    printf("parent: the child exited %d\n", WEXITSTATUS(status));
    return 0;
}
