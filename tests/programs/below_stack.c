// Two threads compute with a word kept below the stack pointer, past the red zone. The ABI lets
// signal handlers overwrite it, but without signals it stays, and code may read what it left
// there (GNU sort did): nothing of Rewind's may write there, not even while it searches a place.
#include <pthread.h>
#include <stdio.h>

static void *work(void *arg)
{
    unsigned long acc = 0;
    asm volatile("movq %0, -136(%%rsp)" : : "r"((unsigned long)arg) : "memory");
    for (long i = 0; i < 200000000; i++) {
        unsigned long below;
        asm volatile("movq -136(%%rsp), %0" : "=r"(below));
        below = below * 6364136223846793005UL + 1442695040888963407UL;
        asm volatile("movq %0, -136(%%rsp)" : : "r"(below) : "memory");
        acc += below >> 33;
    }
    return (void *)acc;
}

int main(void)
{
    pthread_t t[2];
    void *acc[2];
    for (long i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, work, (void *)(i + 1));
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], &acc[i]);
    printf("below the stack: %lx %lx\n", (unsigned long)acc[0], (unsigned long)acc[1]);
    return 0;
}
