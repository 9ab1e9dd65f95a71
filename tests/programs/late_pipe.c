// A single-threaded parent reads a pipe that its child fills late: the child sleeps a few times
// first, so every process waits in the kernel (the parent in read, the child in nanosleep) and
// no syscall ends while checkpoints fall due. The child's sleeps go on to their deadlines (a
// checkpoint's interrupt restarts nanosleep with restart_syscall), and the parent's read returns
// the child's line, never EINTR.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NAPS 6

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        for (int i = 1; i <= NAPS; i++) {
            struct timespec nap = { 0, 60 * 1000 * 1000 };
            if (nanosleep(&nap, NULL) != 0)
                dprintf(1, "child: nap %d cut short: %s\n", i, strerror(errno));
            dprintf(1, "child: nap %d over\n", i);
        }
        dprintf(fds[1], "late news after %d naps", NAPS);
        _exit(0);
    }
    close(fds[1]);
    char line[64];
    ssize_t n = read(fds[0], line, sizeof line - 1);
    if (n < 0) {
        printf("parent: read failed: %s\n", strerror(errno));
        return 3;
    }
    line[n] = 0;
    printf("parent: read \"%s\"\n", line);
    fflush(stdout);
    int status;
    if (waitpid(child, &status, 0) != child)
        return 2;
    printf("parent: child exited %d\n", WEXITSTATUS(status));
    return 0;
}
