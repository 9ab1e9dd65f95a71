// A worker thread replaces the program while main waits in pause() and another worker waits in
// read(): the kernel ends every other thread and the exec'ing worker takes main's pid
// (execve(2)). The program does it twice: first in a forked child, whose parent waits for it,
// then in the first process itself. The new image says whether its pid is the one main had and
// how many threads it has.
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char role[16], pid_text[16];
static int never_written[2];

static void *replace(void *arg)
{
    (void)arg;
    char *argv[] = {"exec_from_thread", "again", role, pid_text, NULL};
    execv("/proc/self/exe", argv);
    perror("execv");
    exit(1);
}

static void *wait_in_read(void *arg)
{
    (void)arg;
    char c;
    if (read(never_written[0], &c, 1) >= 0)
    {
        printf("the read returned\n");
    }
    return NULL;
}

static int thread_count(void)
{
    DIR *tasks = opendir("/proc/self/task");
    int n = 0;
    for (struct dirent *d; tasks && (d = readdir(tasks)) != NULL;)
    {
        n += d->d_name[0] != '.';
    }
    if (tasks)
    {
        closedir(tasks);
    }
    return n;
}

/// Main waits while one worker reads and the other execs; never returns.
static void exec_from_worker(const char *who)
{
    snprintf(role, sizeof role, "%s", who);
    snprintf(pid_text, sizeof pid_text, "%d", (int)getpid());
    if (pipe(never_written) != 0)
    {
        perror("pipe");
        exit(1);
    }
    printf("%s: main starts a reader and a worker that execs\n", who);
    fflush(stdout);
    pthread_t reader, worker;
    pthread_create(&reader, NULL, wait_in_read, NULL);
    pthread_create(&worker, NULL, replace, NULL);
    pause();
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "again") == 0)
    {
        int same = getpid() == atoi(argv[3]);
        printf("%s: exec'd by a worker, %s pid, %d thread(s)\n", argv[2], same ? "main's" : "another", thread_count());
        return strcmp(argv[2], "child") == 0 ? 5 : 4;
    }
    pid_t child = fork();
    if (child == 0)
    {
        exec_from_worker("child");
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("parent: the child exited with %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    exec_from_worker("parent");
}
