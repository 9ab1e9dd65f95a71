// A worker thread replaces the program with /bin/echo while main waits: the kernel ends every
// other thread and the worker takes the main thread's pid. Rewind cannot record that yet: the
// recording must end with a message, and the program must run on to its end.
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *replace(void *arg)
{
    (void)arg;
    char *argv[] = {"/bin/echo", "echo, exec'd by a worker", NULL};
    execv(argv[0], argv);
    return NULL;
}

int main(void)
{
    printf("main starts a worker that execs\n");
    fflush(stdout);
    pthread_t worker;
    pthread_create(&worker, NULL, replace, NULL);
    pause();
    return 1;
}
