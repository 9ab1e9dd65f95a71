// A parent waits in the kernel while its child computes: first in a read of a pipe that the
// child writes halfway through, then in waitpid until the child ends. Every thread of the
// parent waits meanwhile, so a checkpoint of both processes is forked from the parent in its
// wait. The child yields each round (a stop, where checkpoints are taken) and prints its
// progress; the parent prints what it read and how the child ended: a replay from a checkpoint
// taken during either wait prints the rest. The child waits for the parent's word that it has
// printed what it read before going on, so the lines come out in one order however the two are
// scheduled (a recording runs one at a time; a live resume runs both at once).
#include <sched.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROUNDS 60

static unsigned long work(unsigned long x)
{
    for (int i = 0; i < 4000000; i++)
        x = x * 6364136223846793005UL + 1442695040888963407UL;
    return x;
}

int main(void)
{
    int fds[2], acks[2];
    if (pipe(fds) != 0 || pipe(acks) != 0)
        return 1;
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        close(acks[1]);
        unsigned long x = 1;
        for (int i = 1; i <= ROUNDS; i++) {
            x = work(x);
            sched_yield();
            if (i % 10 == 0)
                dprintf(1, "child: round %d, %016lx\n", i, x);
            if (i == ROUNDS / 2) {
                dprintf(fds[1], "halfway: %016lx", x);
                char ack;
                if (read(acks[0], &ack, 1) != 1)
                    _exit(3);
            }
        }
        _exit((int)(x % 100));
    }
    close(fds[1]);
    close(acks[0]);
    char report[64];
    ssize_t n = read(fds[0], report, sizeof report - 1);
    report[n > 0 ? n : 0] = 0;
    printf("parent: read \"%s\"\n", report);
    fflush(stdout);
    if (write(acks[1], "k", 1) != 1)
        return 3;
    int status;
    if (waitpid(child, &status, 0) != child)
        return 2;
    printf("parent: child exited %d\n", WEXITSTATUS(status));
    return 0;
}
