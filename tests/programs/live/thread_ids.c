#define _GNU_SOURCE
// A job of two worker threads taking turns, each printing at every round the pid, its own tid and
// what /proc says of them: where resume keeps a job's ids (here, or in a pid namespace of its own),
// every line names the ids of the lines before it, /proc/self is getpid() and /proc/PID/task
// holds the tid, as in an uninterrupted run; it ends with a status of its own. Each worker takes
// argv[1] turns (75 by default).
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static int turn, rounds;

static void *worker(void *arg)
{
    long id = (long)arg;
    struct timespec pause = {0, 10 * 1000 * 1000};
    for (int r = 0; r < rounds; r++) {
        pthread_mutex_lock(&lock);
        while (turn % 2 != id)
            pthread_cond_wait(&turn_changed, &lock);
        /* The ids and what /proc says of them, read again where a hibernation and a resume with
         * new ids came between. */
        pid_t pid, tid;
        char self[32], task[64];
        int there;
        do {
            pid = getpid();
            tid = gettid();
            ssize_t n = readlink("/proc/self", self, sizeof self - 1);
            self[n > 0 ? n : 0] = 0;
            snprintf(task, sizeof task, "/proc/%d/task/%d", pid, tid);
            there = access(task, F_OK) == 0;
        } while (pid != getpid() || tid != gettid());
        printf("round %d worker %ld pid %d tid %d /proc/self %s, %s\n", r, id, pid, tid, self,
               there ? "its task is there" : "its task is missing");
        fflush(stdout);
        turn++;
        pthread_cond_broadcast(&turn_changed);
        pthread_mutex_unlock(&lock);
        nanosleep(&pause, NULL);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    rounds = argc > 1 ? atoi(argv[1]) : 75;
    pthread_t threads[2];
    for (long i = 0; i < 2; i++)
        pthread_create(&threads[i], NULL, worker, (void *)i);
    for (int i = 0; i < 2; i++)
        pthread_join(threads[i], NULL);
    printf("%d turns\n", turn);
    return 5;
}
