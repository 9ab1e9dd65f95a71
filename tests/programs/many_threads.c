// Starts 1000 threads (or 50 times the rounds its argument asks for), 50 at a time, each adding
// its number under a lock.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long sum;

static void *add(void *arg)
{
    pthread_mutex_lock(&lock);
    sum += (long)arg;
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(int argc, char **argv)
{
    long threads = 50 * (argc > 1 ? atol(argv[1]) : 20);
    pthread_t t[50];
    for (long base = 0; base < threads; base += 50) {
        for (long i = 0; i < 50; i++)
            pthread_create(&t[i], NULL, add, (void *)(base + i));
        for (int i = 0; i < 50; i++)
            pthread_join(t[i], NULL);
    }
    printf("sum %ld\n", sum);
    return 0;
}
