// A parent waits in poll(2) for a pipe that its second child fills late, while its first child
// ends: the SIGCHLD, ignored by default, still stops a traced parent and cuts its poll short with
// -ERESTART_RESTARTBLOCK, and the kernel goes on with restart_syscall(2), which waits on and
// writes the revents where the first poll was told to. Then a sleep cut short the same way.
#include <poll.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

static pid_t child_after(long ms, int fd)
{
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec nap = { ms / 1000, ms % 1000 * 1000000 };
        nanosleep(&nap, NULL);
        if (fd >= 0 && write(fd, "ready\n", 6) != 6)
            _exit(1);
        _exit(0);
    }
    return pid;
}

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    pid_t early = child_after(30, -1), late = child_after(300, fds[1]);
    struct pollfd p = { .fd = fds[0], .events = POLLIN };
    int n = poll(&p, 1, 5000);
    printf("poll: %d, revents 0x%x\n", n, p.revents);
    char line[16] = {0};
    printf("read: %zd %s", read(fds[0], line, sizeof line - 1), line);
    waitpid(early, NULL, 0);
    // The second child ends while its parent sleeps: a nanosleep cut short and restarted.
    pid_t napper = child_after(30, -1);
    struct timespec nap = { 0, 200 * 1000000 };
    printf("nanosleep: %d\n", nanosleep(&nap, NULL));
    int status;
    waitpid(late, &status, 0);
    waitpid(napper, NULL, 0);
    printf("late child: %d\n", WEXITSTATUS(status));
    return 0;
}
