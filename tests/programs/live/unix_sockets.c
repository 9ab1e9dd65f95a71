// A job that talks to itself through UNIX sockets: a stream socketpair and a datagram and a
// seqpacket one that always hold unread messages of different lengths (each step reads one and
// sends one more), a stream pair one end of which has shut down its writing, a listener bound to
// a path and one with an abstract name, connected to and accepted every few steps, one
// accepted connection kept open with bytes queued both ways, and a stream pair one end of which
// sent its last words and closed. Resumed, every message must come out in order and whole, the
// listeners must take connections, and the shut-down and orphaned ends still read end of file.
// Also a datagram socket bound to a path that an unnamed socket sends to, always holding
// datagrams, and an accepted connection whose client sent a word and closed.
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static unsigned long digest = 5381;

static void mix(const char *bytes, long n)
{
    for (long i = 0; i < n; i++)
        digest = digest * 33 + (unsigned char)bytes[i];
}

static socklen_t address_of(struct sockaddr_un *address, const char *name, int abstract)
{
    memset(address, 0, sizeof *address);
    address->sun_family = AF_UNIX;
    strcpy(address->sun_path + abstract, name);
    return offsetof(struct sockaddr_un, sun_path) + abstract + strlen(name) + !abstract;
}

static int listener(const char *name, int abstract)
{
    struct sockaddr_un address;
    socklen_t length = address_of(&address, name, abstract);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (bind(fd, (struct sockaddr *)&address, length) != 0 || listen(fd, 3) != 0) {
        perror("listen");
        return -1;
    }
    return fd;
}

// Connects to a listener, accepts, sends a word through and reads it back on the other side.
static int round_trip(int server, const char *name, int abstract, int step)
{
    struct sockaddr_un address;
    socklen_t length = address_of(&address, name, abstract);
    int client = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(client, (struct sockaddr *)&address, length) != 0) {
        perror("connect");
        return -1;
    }
    int accepted = accept(server, NULL, NULL);
    char word[16], got[16] = {0};
    int n = snprintf(word, sizeof word, "hello %d", step);
    write(client, word, n);
    read(accepted, got, sizeof got - 1);
    close(client);
    close(accepted);
    return strcmp(word, got) == 0;
}

int main(void)
{
    int stream[2], datagram[2], packet[2], closing[2], orphan[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, stream);
    socketpair(AF_UNIX, SOCK_DGRAM, 0, datagram);
    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, packet);
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, closing);
    write(closing[1], "bye", 3);
    shutdown(closing[1], SHUT_WR);
    socketpair(AF_UNIX, SOCK_STREAM, 0, orphan);
    write(orphan[1], "last words", 10);
    close(orphan[1]);

    unlink("server.sock");
    char abstract_name[64];
    snprintf(abstract_name, sizeof abstract_name, "rewind-live-%d", getpid());
    int by_path = listener("server.sock", 0), by_name = listener(abstract_name, 1);
    if (by_path < 0 || by_name < 0)
        return 1;
    // A connection kept open: its client end and its accepted end, each with bytes waiting.
    struct sockaddr_un address;
    socklen_t length = address_of(&address, "server.sock", 0);
    int client = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(client, (struct sockaddr *)&address, length);
    int accepted = accept(by_path, NULL, NULL);
    fcntl(accepted, F_SETFL, O_NONBLOCK);
    int farewell_client = socket(AF_UNIX, SOCK_STREAM, 0);
    connect(farewell_client, (struct sockaddr *)&address, length);
    int farewell = accept(by_path, NULL, NULL);
    write(farewell_client, "farewell", 8);
    close(farewell_client);
    unlink("inbox.sock");
    struct sockaddr_un inbox_address;
    socklen_t inbox_length = address_of(&inbox_address, "inbox.sock", 0);
    int inbox = socket(AF_UNIX, SOCK_DGRAM, 0), outbox = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(inbox, (struct sockaddr *)&inbox_address, inbox_length);

    char message[64];
    int sent = 0;
    for (; sent < 5; sent++) {
        int n = snprintf(message, sizeof message, "stream %03d|", sent);
        write(stream[0], message, n);
        n = snprintf(message, sizeof message, "dgram %.*s", sent % 7 + 1, "abcdefg");
        send(datagram[1], message, n, 0);
        n = snprintf(message, sizeof message, "packet %d%.*s", sent, sent % 5, "xxxxx");
        send(packet[0], message, n, 0);
        n = snprintf(message, sizeof message, "up %03d|", sent);
        write(client, message, n);
        n = snprintf(message, sizeof message, "down %03d|", sent);
        write(accepted, message, n);
        n = snprintf(message, sizeof message, "mail %d", sent);
        sendto(outbox, message, n, 0, (struct sockaddr *)&inbox_address, inbox_length);
    }
    struct timespec pause = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 150; i++) {
        char got[64] = {0}, dgram[64] = {0}, pkt[64] = {0}, up[64] = {0}, down[64] = {0};
        if (read(stream[1], got, 11) != 11) {
            perror("read");
            return 1;
        }
        long d = recv(datagram[0], dgram, sizeof dgram, 0);
        long p = recv(packet[1], pkt, sizeof pkt, 0);
        long u = read(accepted, up, 7);
        long w = read(client, down, 9);
        char mail[64] = {0};
        long m = recv(inbox, mail, sizeof mail, 0);
        mix(got, 11);
        mix(dgram, d);
        mix(pkt, p);
        int n = snprintf(message, sizeof message, "stream %03d|", sent);
        write(stream[0], message, n);
        n = snprintf(message, sizeof message, "dgram %.*s", sent % 7 + 1, "abcdefg");
        send(datagram[1], message, n, 0);
        n = snprintf(message, sizeof message, "packet %d%.*s", sent, sent % 5, "xxxxx");
        send(packet[0], message, n, 0);
        n = snprintf(message, sizeof message, "up %03d|", sent);
        write(client, message, n);
        n = snprintf(message, sizeof message, "down %03d|", sent);
        write(accepted, message, n);
        n = snprintf(message, sizeof message, "mail %d", sent);
        sendto(outbox, message, n, 0, (struct sockaddr *)&inbox_address, inbox_length);
        sent++;
        printf("step %d got %s, %s (%ld), %s (%ld), %s %s, %s (%ld)", i, got, dgram, d, pkt, p, u == 7 ? up : "-", w == 9 ? down : "-", mail, m);
        if (i % 10 == 9)
            printf(", connected %d %d", round_trip(by_path, "server.sock", 0, i), round_trip(by_name, abstract_name, 1, i));
        printf("\n");
        fflush(stdout);
        nanosleep(&pause, NULL);
    }
    char bye[8] = {0};
    long first = read(closing[0], bye, sizeof bye - 1), then = read(closing[0], bye + 4, 1);
    printf("closing end read %ld '%s' then %ld (%s)\n", first, bye, then, then < 0 ? strerror(errno) : "end of file");
    char last[16] = {0};
    first = read(orphan[0], last, sizeof last - 1);
    then = read(orphan[0], last + 10, 1);
    printf("orphaned end read %ld '%s' then %ld\n", first, last, then);
    memset(last, 0, sizeof last);
    first = read(farewell, last, sizeof last - 1);
    then = read(farewell, last + 8, 1);
    printf("accepted end of a closed client read %ld '%s' then %ld\n", first, last, then);
    printf("accepted end nonblocking %d, packet end close-on-exec %d\n", (fcntl(accepted, F_GETFL) & O_NONBLOCK) != 0, (fcntl(packet[0], F_GETFD) & FD_CLOEXEC) != 0);
    printf("digest %lu\n", digest);
    unlink("server.sock");
    unlink("inbox.sock");
    return 0;
}
