// A worker waits in read(), then readv(), then recvmsg(), then recvmmsg() on a socket into buffers that main
// polls with no syscall: main sends bytes and spins until they are there. The kernel fills the
// buffers when the worker's call returns, while main runs; replay writes them where the call's
// event is.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

static int ends[2];
static volatile char buffer[64], head[1], tail[64], last[64], many[2][64];
static int header_kept;
// How many of its calls the worker has finished: a stream socket's read goes on copying what
// arrives while it runs, so main sends the next bytes only once the call has returned.
static volatile int calls_done;

static void *reader(void *arg)
{
    (void)arg;
    ssize_t n = read(ends[0], (char *)buffer, sizeof buffer);
    calls_done = 1;
    struct iovec parts[2] = {{(char *)head, sizeof head}, {(char *)tail, sizeof tail}};
    n += readv(ends[0], parts, 2);
    calls_done = 2;
    struct iovec part = {(char *)last, sizeof last};
    struct msghdr message = {.msg_iov = &part, .msg_iovlen = 1};
    n += recvmsg(ends[0], &message, 0);
    calls_done = 3;
    struct iovec parts_of_many[2] = {{(char *)many[0], sizeof many[0]}, {(char *)many[1], sizeof many[1]}};
    struct mmsghdr messages[2] = {{.msg_hdr = {.msg_iov = &parts_of_many[0], .msg_iovlen = 1}},
                                  {.msg_hdr = {.msg_iov = &parts_of_many[1], .msg_iovlen = 1}}};
    // What is there fills the first message; the second would wait, so the call ends with one.
    if (recvmmsg(ends[0], messages, 2, MSG_WAITFORONE, NULL) == 1)
        n += messages[0].msg_len;
    // The kernel writes back lengths and flags, never the pointers.
    header_kept = message.msg_iov == &part && message.msg_name == NULL && messages[0].msg_hdr.msg_iov == &parts_of_many[0]
                  && messages[1].msg_hdr.msg_iov == &parts_of_many[1];
    return (void *)n;
}

static void send_bytes(const char *bytes, size_t length)
{
    if (write(ends[1], bytes, length) != (ssize_t)length)
    {
        perror("write");
    }
}

int main(void)
{
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, ends) != 0)
    {
        perror("socketpair");
        return 1;
    }
    pthread_t worker;
    pthread_create(&worker, NULL, reader, NULL);
    // Let the worker reach its read first: it blocks there until the byte comes.
    usleep(100 * 1000);
    volatile unsigned long spins = 0;
    send_bytes("x", 1);
    while (buffer[0] == 0)
        spins++;
    while (calls_done < 1)
        spins++;
    send_bytes("yz", 2);
    while (tail[0] == 0)
        spins++;
    while (calls_done < 2)
        spins++;
    send_bytes("w", 1);
    while (last[0] == 0)
        spins++;
    while (calls_done < 3)
        spins++;
    send_bytes("v", 1);
    while (many[0][0] == 0)
        spins++;
    void *n;
    pthread_join(worker, &n);
    printf("main saw '%c', then '%c' and '%c', then '%c', then '%c'; the worker read %ld byte(s), its message headers %s\n",
           buffer[0], head[0], tail[0], last[0], many[0][0], (long)n, header_kept ? "kept" : "changed");
    return 0;
}
