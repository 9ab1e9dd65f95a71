// A job connected to a UNIX socket of another process (the path it is given): a connection
// that cannot be resumed, so hibernation must refuse it by name, or with --close-lost leave a
// dead descriptor, on which the job sees the connection end and finishes cleanly.
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    signal(SIGPIPE, SIG_IGN);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    strncpy(address.sun_path, argv[1], sizeof address.sun_path - 1);
    int server = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(server, (struct sockaddr *)&address, sizeof address) != 0) {
        perror("connect");
        return 1;
    }
    struct timespec pause = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 150; i++) {
        if (write(server, "ping", 4) != 4) {
            printf("connection lost at step %d\n", i);
            return 3;
        }
        printf("step %d\n", i);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    printf("connection kept\n");
    return 0;
}
