// A parent and a child increment one counter in an anonymous MAP_SHARED page under a
// process-shared mutex; each logs the values it saw, so the interleaving is in the output.
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared {
    pthread_mutex_t lock;
    int counter;
    char order[512];
};

static void work(struct shared *s, char who, int rounds)
{
    for (int i = 0; i < rounds; i++) {
        pthread_mutex_lock(&s->lock);
        int seen = s->counter++;
        if (seen < (int)sizeof s->order - 1)
            s->order[seen] = who;
        pthread_mutex_unlock(&s->lock);
        for (volatile int spin = 0; spin < 20000; spin++)
            ;
        if (i % 50 == 0)
            sched_yield();
    }
}

int main(void)
{
    struct shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED)
        return 1;
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(&s->lock, &attr);
    pid_t child = fork();
    if (child == 0) {
        work(s, 'c', 200);
        _exit(0);
    }
    work(s, 'p', 200);
    waitpid(child, NULL, 0);
    printf("counter: %d\n", s->counter);
    printf("order: %.400s\n", s->order);
    return 0;
}
