// A parent and a child talk through a pipe; the child prints too and exits with a status the parent reports.
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    pid_t child = fork();
    if (child < 0)
        return 2;
    if (child == 0) {
        close(fds[0]);
        char message[64];
        int n = snprintf(message, sizeof message, "hello from a child of %s\n", getppid() > 1 ? "a live parent" : "init");
        if (write(fds[1], message, n) != n)
            _exit(1);
        printf("child: wrote %d bytes\n", n);
        fflush(stdout);
        _exit(7);
    }
    close(fds[1]);
    char buffer[128] = {0};
    ssize_t n = read(fds[0], buffer, sizeof buffer - 1);
    int status;
    if (waitpid(child, &status, 0) != child)
        return 3;
    printf("parent: read %zd bytes: %s", n, buffer);
    printf("parent: child exited with %d\n", WEXITSTATUS(status));
    return 0;
}
