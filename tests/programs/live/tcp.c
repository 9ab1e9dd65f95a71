// A job holding a TCP connection (to itself, through a listening socket on 127.0.0.1): a
// connection cannot be resumed, so hibernation must refuse it by name, or with --close-lost
// leave dead descriptors, on which the job sees the connection end and finishes cleanly; its
// listener is bound again.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    // As servers do: the port is free again at once after a restart, its old connections in TIME_WAIT.
    int reuse = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 1) != 0
        || getsockname(listener, (struct sockaddr *)&address, &length) != 0) {
        perror("listen");
        return 1;
    }
    int client = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(client, (struct sockaddr *)&address, sizeof address) != 0) {
        perror("connect");
        return 1;
    }
    int server = accept(listener, NULL, NULL);
    struct timespec pause = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 150; i++) {
        char got[8] = {0};
        if (write(client, "ping", 4) != 4 || read(server, got, 4) != 4) {
            printf("connection lost at step %d\n", i);
            return 3;
        }
        printf("step %d %s\n", i, got);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    printf("connection kept\n");
    return 0;
}
