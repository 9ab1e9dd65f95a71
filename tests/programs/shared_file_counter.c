/* A parent and its child share two counters through files rather than anonymous memory: one in a
 * regular file of the working directory mapped MAP_SHARED, one in a POSIX shared memory object
 * (shm_open, a file of /dev/shm, unlinked at once). They increment each in strict turns, handed
 * over through a process-shared mutex and condition variable in the file, and through a turn
 * word polled with sched_yield in the shm object: hundreds of switches, each step mixing in the
 * value the other left, so the output is the same in every run and wrong if one process ever
 * missed the other's write. The file is read back through its descriptor at the end. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 300

struct counter {
    pthread_mutex_t lock;
    pthread_cond_t turned;
    int turn; /* 0: the parent's, 1: the child's */
    long value;
    unsigned long mix;
    char last[48];
};

static void step(struct counter *c, const char *where, int me, int round)
{
    const char *who = me == 0 ? "parent" : "child";
    c->value++;
    c->mix = c->mix * 31 + c->value + me;
    if (round < 2 || round % 100 == 0 || round == ROUNDS - 1)
        printf("%s, %s, round %d: counter %ld, last written by %s\n", where, who, round, c->value, c->last);
    snprintf(c->last, sizeof c->last, "the %s in round %d", who, round);
}

static void by_condition_variable(struct counter *c, int me)
{
    for (int round = 0; round < ROUNDS; round++) {
        pthread_mutex_lock(&c->lock);
        while (c->turn != me)
            pthread_cond_wait(&c->turned, &c->lock);
        step(c, "file", me, round);
        c->turn = 1 - me;
        pthread_cond_broadcast(&c->turned);
        pthread_mutex_unlock(&c->lock);
    }
}

static void by_polling(struct counter *c, int me)
{
    for (int round = 0; round < ROUNDS; round++) {
        while (__atomic_load_n(&c->turn, __ATOMIC_ACQUIRE) != me)
            sched_yield();
        step(c, "shm", me, round);
        __atomic_store_n(&c->turn, 1 - me, __ATOMIC_RELEASE);
    }
}

static struct counter *map(int fd)
{
    if (fd < 0 || ftruncate(fd, sizeof(struct counter)) != 0)
        return MAP_FAILED;
    return mmap(NULL, sizeof(struct counter), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int file = open("shared_file_counter.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char name[64];
    snprintf(name, sizeof name, "/rewind-shared-file-counter-%d", getpid());
    int shm = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
    shm_unlink(name);
    struct counter *in_file = map(file), *in_shm = map(shm);
    if (in_file == MAP_FAILED || in_shm == MAP_FAILED) {
        perror("shared_file_counter");
        return 1;
    }
    pthread_mutexattr_t mutex_shared;
    pthread_mutexattr_init(&mutex_shared);
    pthread_mutexattr_setpshared(&mutex_shared, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(&in_file->lock, &mutex_shared);
    pthread_condattr_t condition_shared;
    pthread_condattr_init(&condition_shared);
    pthread_condattr_setpshared(&condition_shared, PTHREAD_PROCESS_SHARED);
    pthread_cond_init(&in_file->turned, &condition_shared);
    snprintf(in_file->last, sizeof in_file->last, "nobody");
    snprintf(in_shm->last, sizeof in_shm->last, "nobody");
    // The child, last in the file, is first in shm: the lines come out in one order.
    in_shm->turn = 1;

    pid_t child = fork();
    if (child == 0) {
        by_condition_variable(in_file, 1);
        by_polling(in_shm, 1);
        _exit(0);
    }
    by_condition_variable(in_file, 0);
    by_polling(in_shm, 0);
    int status;
    waitpid(child, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));

    long read_back = 0;
    pread(file, &read_back, sizeof read_back, offsetof(struct counter, value));
    printf("file: counter %ld, mix %lu; read back through the descriptor: %ld\n", in_file->value, in_file->mix, read_back);
    printf("shm: counter %ld, mix %lu, last written by %s\n", in_shm->value, in_shm->mix, in_shm->last);
    return 0;
}
