// Four threads take one mutex in turn; the output is the order they took it in, which replay must repeat.
#include <pthread.h>
#include <stdio.h>

#define THREADS 4
#define ROUNDS 2000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char order[THREADS * ROUNDS + 1];
static int taken;
static long counter;

static void *work(void *arg)
{
    char name = (char)('A' + (long)arg);
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&lock);
        order[taken++] = name;
        counter += (long)arg + 1;
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, work, (void *)i);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    int switches = 0;
    for (int i = 1; i < taken; i++)
        switches += order[i] != order[i - 1];
    printf("counter %ld, %d lock hand-overs\n%.200s\n", counter, switches, order);
    return 0;
}
