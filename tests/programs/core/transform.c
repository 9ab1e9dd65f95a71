// Rewind.Core.Tests end-to-end debuggee: copies a file into another, upper-cased, through every
// form of write (write, writev, pwrite64, pwritev, pwritev2), sends it through a socket pair
// (sendto, sendmsg, sendmmsg) and reads it back, and prints only byte counts. What it read
// decides what it writes and nothing else: a replay fed other bytes (a tampered trace) writes
// other bytes there.
// usage: transform IN OUT
#define _GNU_SOURCE
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    char text[4096];
    int in = open(argv[1], O_RDONLY);
    ssize_t n = in < 0 ? -1 : read(in, text, sizeof text);
    if (n < 2)
        return 3;
    close(in);
    for (ssize_t i = 0; i < n; i++)
        text[i] = (char)toupper((unsigned char)text[i]);
    int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    struct iovec halves[2] = { { text, (size_t)n / 2 }, { text + n / 2, (size_t)(n - n / 2) } };
    if (out < 0 || write(out, text, (size_t)n) != n || writev(out, halves, 2) != n || pwrite(out, text, (size_t)n, 2 * n) != n
        || pwritev(out, halves, 2, 3 * n) != n || pwritev2(out, halves, 2, 4 * n, 0) != n)
        return 4;
    close(out);

    int pair[2];
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, pair) != 0)
        return 5;
    struct msghdr message = { .msg_iov = halves, .msg_iovlen = 2 };
    struct mmsghdr messages[2] = { { .msg_hdr = message }, { .msg_hdr = message } };
    ssize_t sent = sendto(pair[0], text, (size_t)n, 0, NULL, 0) + sendmsg(pair[0], &message, 0);
    int batches = sendmmsg(pair[0], messages, 2, 0);
    sent += messages[0].msg_len + messages[1].msg_len;
    char back[4096];
    ssize_t received = 0;
    for (int i = 0; i < 4; i++)
        received += recv(pair[1], back, sizeof back, 0);
    printf("copied %zd bytes five times, sent %zd in %d + 2 messages, received %zd\n", n, sent, batches, received);
    return 0;
}
