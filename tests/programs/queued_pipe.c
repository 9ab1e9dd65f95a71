// A parent writes a line into a pipe to its child and waits for the child, which reads the
// pipe only after six naps of 60 ms: a checkpoint taken meanwhile (both processes wait) has
// the line waiting in the pipe. Resumed, the child must read the line, and the parent's
// waitpid find it.
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    pid_t child = fork();
    if (child == 0) {
        close(fds[1]);
        struct timespec nap = {0, 60 * 1000 * 1000};
        for (int i = 0; i < 6; i++)
            nanosleep(&nap, NULL);
        char line[64];
        ssize_t n = read(fds[0], line, sizeof line - 1);
        line[n > 0 ? n : 0] = 0;
        printf("child read \"%s\"\n", line);
        return 3;
    }
    close(fds[0]);
    const char *line = "a line for the child";
    if (write(fds[1], line, strlen(line)) != (ssize_t)strlen(line))
        return 1;
    int status;
    if (waitpid(child, &status, 0) != child)
        return 2;
    close(fds[1]);
    printf("parent: child exited %d\n", WEXITSTATUS(status));
    return 0;
}
