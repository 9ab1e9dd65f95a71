// A job that passes itself a descriptor through a socketpair (SCM_RIGHTS) and takes it only
// later: while it waits in the socket, hibernation must refuse it by name, and leave the job
// untouched (the message still there, whole, when the job takes it).
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
    int pair[2], pipe_ends[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
    pipe(pipe_ends);
    write(pipe_ends[1], "through a passed pipe", 21);
    close(pipe_ends[1]);
    char control[CMSG_SPACE(sizeof(int))] = {0};
    struct iovec word = {.iov_base = "fd", .iov_len = 2};
    struct msghdr message = {.msg_iov = &word, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
    struct cmsghdr *c = CMSG_FIRSTHDR(&message);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &pipe_ends[0], sizeof(int));
    sendmsg(pair[0], &message, 0);
    close(pipe_ends[0]);
    struct timespec pause = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 100; i++) {
        printf("step %d\n", i);
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    char got[4] = {0}, text[32] = {0};
    memset(control, 0, sizeof control);
    struct iovec into = {.iov_base = got, .iov_len = 2};
    struct msghdr received = {.msg_iov = &into, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
    long n = recvmsg(pair[1], &received, 0);
    int fd = -1;
    if (n == 2 && CMSG_FIRSTHDR(&received))
        memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&received)), sizeof fd);
    printf("received '%s' and a descriptor reading '%.*s'\n", got, (int)read(fd, text, sizeof text - 1), text);
    return 0;
}
