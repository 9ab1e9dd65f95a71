// posix_spawn of /bin/sh -c with a pipeline and a command substitution; the parent reads what it printed.
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 1;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    char *argv[] = {"sh", "-c", "printf 'b\\na\\nc\\n' | sort | tr a-z A-Z; echo words: $(echo one two three | wc -w)", NULL};
    pid_t child;
    int r = posix_spawn(&child, "/bin/sh", &actions, NULL, argv, environ);
    if (r != 0)
        return 2;
    close(fds[1]);
    char buffer[256] = {0};
    size_t used = 0;
    ssize_t n;
    while ((n = read(fds[0], buffer + used, sizeof buffer - 1 - used)) > 0)
        used += n;
    int status;
    waitpid(child, &status, 0);
    printf("the pipeline printed:\n%s", buffer);
    printf("sh exited with %d\n", WEXITSTATUS(status));
    char *missing[] = {"no-such-program", NULL};
    r = posix_spawnp(&child, "no-such-program-rewind", NULL, NULL, missing, environ);
    printf("spawning a missing program: %s\n", r == 0 ? "started" : strerror(r));
    if (r == 0)
        waitpid(child, &status, 0);
    return 0;
}
