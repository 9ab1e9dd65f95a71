/* Exec by descriptor: a child runs this program again with execveat(AT_FDCWD, path), then the
 * program replaces itself with fexecve(3) (execveat with AT_EMPTY_PATH) of its own binary. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1) {
        printf("after %s: argv[0] %s\n", argv[1], argv[0]);
        return 0;
    }
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    pid_t child = fork();
    if (child == 0) {
        char *args[] = {"again", "execveat", NULL};
        syscall(SYS_execveat, AT_FDCWD, "/proc/self/exe", args, environ, 0);
        perror("execveat");
        _exit(1);
    }
    int status;
    waitpid(child, &status, 0);
    printf("the child exited %d\n", WEXITSTATUS(status));
    char *args[] = {"itself", "fexecve", NULL};
    fexecve(fd, args, environ);
    perror("fexecve");
    return 1;
}
