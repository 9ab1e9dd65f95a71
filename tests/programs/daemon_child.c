/* Leaves a daemon behind, as a server's start script does: the child makes a session of its own,
 * waits for its parent to end (the end of a pipe the parent held), then sleeps the seconds asked
 * (argv[1]) before it ends too. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int seconds = argc > 1 ? atoi(argv[1]) : 0;
    int ready[2], parent_alive[2];
    pipe(ready);
    pipe(parent_alive);
    if (fork() == 0) {
        close(ready[0]);
        close(parent_alive[1]);
        printf("daemon: %s\n", setsid() == getpid() ? "in a session of its own" : strerror(errno));
        close(ready[1]);
        char c;
        read(parent_alive[0], &c, 1);
        printf("daemon: its parent has ended\n");
        sleep(seconds);
        printf("daemon: done\n");
        return 0;
    }
    close(ready[1]);
    char c;
    read(ready[0], &c, 1);
    printf("parent: leaving the daemon running\n");
    return 0;
}
