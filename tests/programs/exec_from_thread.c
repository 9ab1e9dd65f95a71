// A worker thread replaces the program while another worker waits in read(): the kernel ends
// every other thread and the exec'ing worker takes main's pid (execve(2)). The program does it
// twice: first in a forked child, whose main has left by pthread_exit (a zombie till the exec),
// then in the first process, whose main waits in pause(). The new image says whether its pid is
// the one main had and how many threads it has.
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char role[16], pid_text[16];
static const char *program;
static int never_written[2], main_leaves;

/// Until main has exited: its task is a zombie while the others run (pthread_exit(3)).
static void wait_for_main_to_exit(void)
{
    char path[64], state = 0;
    snprintf(path, sizeof path, "/proc/%s/task/%s/stat", pid_text, pid_text);
    while (state != 'Z')
    {
        FILE *stat = fopen(path, "r");
        if (stat == NULL || fscanf(stat, "%*d (%*[^)]) %c", &state) != 1)
        {
            perror(path);
            exit(1);
        }
        fclose(stat);
    }
}

static void *replace(void *arg)
{
    (void)arg;
    if (main_leaves)
    {
        wait_for_main_to_exit();
    }
    // Not /proc/self/exe: a process whose main thread is a zombie has no exe link.
    char *argv[] = {"exec_from_thread", "again", role, pid_text, NULL};
    execv(program, argv);
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

/// Main leaves or waits while one worker reads and the other execs; never returns.
static void exec_from_worker(const char *who, int leave)
{
    main_leaves = leave;
    snprintf(role, sizeof role, "%s", who);
    snprintf(pid_text, sizeof pid_text, "%d", (int)getpid());
    if (pipe(never_written) != 0)
    {
        perror("pipe");
        exit(1);
    }
    printf("%s: main starts a reader and a worker that execs, then %s\n", who, leave ? "leaves" : "waits");
    fflush(stdout);
    pthread_t reader, worker;
    pthread_create(&reader, NULL, wait_in_read, NULL);
    pthread_create(&worker, NULL, replace, NULL);
    if (leave)
    {
        pthread_exit(NULL);
    }
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
    program = argv[0];
    pid_t child = fork();
    if (child == 0)
    {
        exec_from_worker("child", 1);
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("parent: the child exited with %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    exec_from_worker("parent", 0);
}
