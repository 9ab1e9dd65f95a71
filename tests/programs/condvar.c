// A producer and a consumer on a condition variable with timed waits.
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready = PTHREAD_COND_INITIALIZER;
static int items, done, timeouts;

static void *consumer(void *arg)
{
    int got = 0;
    pthread_mutex_lock(&lock);
    while (!done || items > 0) {
        if (items > 0) {
            items--;
            got++;
            continue;
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 2000000;
        if (until.tv_nsec >= 1000000000) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000;
        }
        if (pthread_cond_timedwait(&ready, &lock, &until) == ETIMEDOUT)
            timeouts++;
    }
    pthread_mutex_unlock(&lock);
    printf("consumed %d\n", got);
    return arg;
}

int main(void)
{
    pthread_t c;
    pthread_create(&c, NULL, consumer, NULL);
    for (int i = 0; i < 50; i++) {
        struct timespec pause = {0, 300000};
        nanosleep(&pause, NULL);
        pthread_mutex_lock(&lock);
        items++;
        pthread_cond_signal(&ready);
        pthread_mutex_unlock(&lock);
    }
    pthread_mutex_lock(&lock);
    done = 1;
    pthread_cond_broadcast(&ready);
    pthread_mutex_unlock(&lock);
    pthread_join(c, NULL);
    printf("produced 50, consumer timed out %s\n", timeouts > 0 ? "at least once" : "never");
    return 0;
}
