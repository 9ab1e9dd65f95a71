// A parent and its child run side by side, each adding to one counter in an anonymous
// MAP_SHARED page and making a syscall each round (a place where a checkpoint can be taken
// while both live: sched_yield, always a stop of the recorder's, where Rewind's page of hooked
// syscalls would answer getppid in the program); each prints what it saw now and then, and the
// child reports through a pipe at its end. The values seen are the interleaving: a replay from a checkpoint of both
// processes prints them again only if the restored processes share the counter again.
#include <sched.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 1500

static long run(char who, long *counter)
{
    long last = 0;
    for (int i = 0; i < ROUNDS; i++) {
        last = __atomic_fetch_add(counter, 1, __ATOMIC_SEQ_CST);
        if (i % 100 == 0)
            dprintf(1, "%c: round %d saw %ld\n", who, i, last);
        for (volatile int spin = 0; spin < 20000; spin++)
            ;
        sched_yield();
    }
    return last;
}

int main(void)
{
    long *counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int fds[2];
    if (counter == MAP_FAILED || pipe(fds) != 0)
        return 1;
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        long last = run('c', counter);
        dprintf(fds[1], "child's last: %ld", last);
        _exit(0);
    }
    close(fds[1]);
    run('p', counter);
    char report[64];
    ssize_t n = read(fds[0], report, sizeof report - 1);
    report[n > 0 ? n : 0] = 0;
    int status;
    waitpid(child, &status, 0);
    printf("from the pipe: %s\n", report);
    printf("counter: %ld, child exited %d\n", *counter, WEXITSTATUS(status));
    return 0;
}
