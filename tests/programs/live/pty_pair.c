// A job holding a pseudo-terminal pair of its own besides its terminal, as a terminal emulator
// or expect(1) does: each step it writes into the master and reads it back from the slave. The
// pair is a device with state (its other end, what waits in it) that cannot come back:
// hibernation must refuse both ends by name, or with --close-lost leave dead descriptors, on
// which the job sees the pair end and finishes cleanly, still printing on its own terminal.
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    // A dead descriptor's writes fail with EPIPE, as a closed connection's do.
    signal(SIGPIPE, SIG_IGN);
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        perror("posix_openpt");
        return 1;
    }
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    struct termios raw;
    if (slave < 0 || tcgetattr(slave, &raw) != 0) {
        perror("open slave");
        return 1;
    }
    // No echo and no line editing: what is written into the master is read from the slave as it is.
    cfmakeraw(&raw);
    tcsetattr(slave, TCSANOW, &raw);
    struct timespec pause = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 150; i++) {
        char got[8] = {0};
        if (write(master, "ping", 4) != 4 || read(slave, got, 4) != 4) {
            printf("pty lost at step %d\n", i);
            return 3;
        }
        printf("step %d %s\n", i, got);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    printf("pty kept\n");
    return 0;
}
