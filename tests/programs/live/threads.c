#define _GNU_SOURCE
// A job of three worker threads taking turns under a mutex and condition variable, the main
// thread waiting for them: resumed, every thread must go on with its own registers and stack.
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn_changed = PTHREAD_COND_INITIALIZER;
static int turn, rounds = 120;
static unsigned long digest = 1;

static void *worker(void *arg)
{
    long id = (long)arg;
    char name[16];
    snprintf(name, sizeof name, "worker-%ld", id);
    pthread_setname_np(pthread_self(), name);
    struct timespec pause = {0, 10 * 1000 * 1000};
    for (int r = 0; r < rounds; r++) {
        pthread_mutex_lock(&lock);
        while (turn % 3 != id)
            pthread_cond_wait(&turn_changed, &lock);
        digest = digest * 31 + (unsigned long)(id * 1000 + r);
        printf("round %d %s\n", r, name);
        fflush(stdout);
        turn++;
        pthread_cond_broadcast(&turn_changed);
        pthread_mutex_unlock(&lock);
        nanosleep(&pause, NULL);
    }
    return NULL;
}

int main(void)
{
    pthread_t threads[3];
    for (long i = 0; i < 3; i++)
        pthread_create(&threads[i], NULL, worker, (void *)i);
    for (int i = 0; i < 3; i++)
        pthread_join(threads[i], NULL);
    printf("digest %lu after %d turns\n", digest, turn);
    return 0;
}
