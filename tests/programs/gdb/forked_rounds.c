/* A parent and its child each add to one counter in an anonymous MAP_SHARED page, round after
 * round, with a sched_yield in each (a stop, where the recorder's checkpoints of both processes
 * are taken; getppid is answered in the program once its site is patched);
 * each prints what it saw every 100 rounds. Going back far in the child replays from such a
 * checkpoint: the counter it shows must be the one of that moment, shared again. */
#include <sched.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 1500

static void run(char who, long *counter)
{
    for (int i = 0; i < ROUNDS; i++) {
        long seen = __atomic_fetch_add(counter, 1, __ATOMIC_SEQ_CST);
        if (i % 100 == 0)
            dprintf(1, "%c: round %d saw %ld\n", who, i, seen); // L:report
        for (volatile int spin = 0; spin < 20000; spin++)
            ;
        sched_yield();
    }
}

int main(void)
{
    long *counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (counter == MAP_FAILED)
        return 1;
    pid_t child = fork();
    if (child == 0) {
        run('c', counter);
        _exit(0);
    }
    run('p', counter);
    waitpid(child, NULL, 0);
    printf("counter: %ld\n", *counter);
    return 0;
}
