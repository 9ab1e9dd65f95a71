/* A worker counts in memory it makes readable itself as it goes, a page at a time, the way glibc
 * grows a thread's malloc arena (mprotect, which Rewind lets run untraced); main computes
 * meanwhile and asks for the next page now and then. The worker's loop comes back to the same
 * registers at every lap, so a preemption there is told by the word the lap writes, which lies in
 * a page that earlier passes of the same place could not read. */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/mman.h>

#define PAGES 8

static volatile int flag, wanted;
static unsigned long *volatile pages[PAGES];

static void *count(void *region)
{
    int grown = 0;
    volatile unsigned long *counter = NULL;
    while (!flag) {
        if (counter)
            (*counter)++;
        if (grown <= wanted && grown < PAGES) {
            char *page = (char *)region + 4096 * grown;
            mprotect(page, 4096, PROT_READ | PROT_WRITE);
            counter = pages[grown++] = (unsigned long *)page;
        }
    }
    return NULL;
}

int main(void)
{
    void *region = mmap(NULL, 4096 * PAGES, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    pthread_t worker;
    pthread_create(&worker, NULL, count, region);
    unsigned long x = 88172645463325252UL;
    for (int round = 1; round < PAGES; round++) {
        for (long i = 0; i < 15000000; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }
        wanted = round;
    }
    while (!pages[PAGES - 1])
        sched_yield();
    flag = 1;
    pthread_join(worker, NULL);
    int counted = 0;
    for (int i = 0; i < PAGES - 1; i++)
        counted += *pages[i] != 0;
    printf("main computed %lx; the worker grew %d pages and counted in %d before the last\n", x, PAGES, counted);
    return 0;
}
