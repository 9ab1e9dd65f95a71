// Four threads pass a token round a ring, each waiting on a condition variable (futex waits
// and wakes) for its turn: every hand-over is a thread switch at a blocking syscall.
// Usage: futex_pingpong [ROUNDS]   (default 20000)
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 4

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t turn = PTHREAD_COND_INITIALIZER;
static long holder, passes, rounds;

static void *player(void *arg)
{
    long me = (long)arg;
    pthread_mutex_lock(&lock);
    while (passes < rounds * THREADS) {
        while (holder != me && passes < rounds * THREADS)
            pthread_cond_wait(&turn, &lock);
        if (passes < rounds * THREADS) {
            passes++;
            holder = (me + 1) % THREADS;
            pthread_cond_broadcast(&turn);
        }
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(int argc, char **argv)
{
    rounds = argc > 1 ? atol(argv[1]) : 20000;
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, player, (void *)i);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    printf("futex_pingpong: %ld passes\n", passes);
    return 0;
}
