// A pre-fork server: three workers accept connections on one listening socket; the parent
// connects as a client six times, and each answer says which worker served it.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORKERS 3
#define REQUESTS 6

static void serve(int listener, int id)
{
    for (int served = 0;; served++) {
        int c = accept(listener, NULL, NULL);
        if (c < 0)
            break;
        char request[32] = {0};
        if (read(c, request, sizeof request - 1) <= 0) {
            close(c);
            break;
        }
        char answer[64];
        int n = snprintf(answer, sizeof answer, "worker %d answers %s (its request %d)", id, request, served + 1);
        write(c, answer, n);
        close(c);
    }
    _exit(0);
}

int main(void)
{
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, length) != 0 || listen(listener, 16) != 0)
        return 1;
    getsockname(listener, (struct sockaddr *)&address, &length);
    pid_t workers[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        workers[i] = fork();
        if (workers[i] == 0)
            serve(listener, i + 1);
    }
    int served[WORKERS + 1] = {0};
    for (int r = 0; r < REQUESTS; r++) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(c, (struct sockaddr *)&address, sizeof address) != 0)
            return 2;
        char request[16];
        int n = snprintf(request, sizeof request, "request-%d", r + 1);
        write(c, request, n);
        char answer[64] = {0};
        read(c, answer, sizeof answer - 1);
        close(c);
        printf("%s\n", answer);
        int id;
        if (sscanf(answer, "worker %d", &id) == 1 && id >= 1 && id <= WORKERS)
            served[id]++;
    }
    for (int i = 0; i < WORKERS; i++)
        kill(workers[i], SIGTERM);
    int ended = 0;
    for (int i = 0; i < WORKERS; i++) {
        int status;
        if (waitpid(workers[i], &status, 0) == workers[i] && WIFSIGNALED(status))
            ended++;
    }
    printf("%d requests served, %d workers ended by SIGTERM\n", served[1] + served[2] + served[3], ended);
    return 0;
}
