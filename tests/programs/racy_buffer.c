// Two threads write into one buffer with no lock; what ends up there is the interleaving.
#include <pthread.h>
#include <stdio.h>

#define SIZE 400000

static char buffer[SIZE];
static volatile int next;

static void *writer(void *arg)
{
    char c = *(char *)arg;
    for (;;) {
        int i = next;
        if (i >= SIZE)
            break;
        buffer[i] = c;
        next = i + 1;
    }
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    char ca = 'a', cb = 'b';
    pthread_create(&a, NULL, writer, &ca);
    pthread_create(&b, NULL, writer, &cb);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    unsigned long hash = 5381;
    int runs = 1;
    for (int i = 0; i < SIZE; i++) {
        hash = hash * 33 + (unsigned char)buffer[i];
        if (i > 0 && buffer[i] != buffer[i - 1])
            runs++;
    }
    printf("%d runs, hash %lx\n", runs, hash);
    return 0;
}
