// A job whose state lives in the kernel, not in its memory: an unconnected UDP socket bound to
// a loopback port, which it sends a datagram to and reads back at every step; resource limits
// it lowered; and glibc's rseq registration, whose cpu_id the kernel writes as the thread
// comes back from sleeping. Each step checks all three against what they were at the start,
// so a resume that binds the socket elsewhere, forgets the limits or the registration shows.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/rseq.h>
#include <sys/socket.h>
#include <time.h>

static int rseq_alive(void)
{
    if (__rseq_size == 0)
        return -1;
    struct rseq *area = (struct rseq *)((char *)__builtin_thread_pointer() + __rseq_offset);
    // A value the kernel never writes; sleeping schedules the thread out, and the way back to
    // user mode rewrites cpu_id where the area is registered.
    area->cpu_id = RSEQ_CPU_ID_REGISTRATION_FAILED;
    struct timespec nap = {0, 1000 * 1000};
    nanosleep(&nap, NULL);
    return area->cpu_id != RSEQ_CPU_ID_REGISTRATION_FAILED;
}

static int same_limit(int resource, const struct rlimit *want)
{
    struct rlimit now;
    getrlimit(resource, &now);
    return now.rlim_cur == want->rlim_cur && now.rlim_max == want->rlim_max;
}

int main(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct rlimit files = {123, 456}, core = {0, 4096}, stack = {4 << 20, 64 << 20};
    setrlimit(RLIMIT_NOFILE, &files);
    setrlimit(RLIMIT_CORE, &core);
    setrlimit(RLIMIT_STACK, &stack);

    int udp = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in self = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(udp, (struct sockaddr *)&self, sizeof self);
    socklen_t length = sizeof self;
    getsockname(udp, (struct sockaddr *)&self, &length);
    in_port_t port = self.sin_port;

    struct timespec step = {0, 20 * 1000 * 1000};
    for (int i = 0; i < 150; i++) {
        char sent[32], got[32] = {0};
        int n = snprintf(sent, sizeof sent, "datagram %d", i);
        struct sockaddr_in now;
        length = sizeof now;
        getsockname(udp, (struct sockaddr *)&now, &length);
        sendto(udp, sent, (size_t)n, 0, (struct sockaddr *)&self, sizeof self);
        struct pollfd ready = {.fd = udp, .events = POLLIN};
        if (poll(&ready, 1, 2000) == 1)
            recv(udp, got, sizeof got - 1, 0);
        int rseq = rseq_alive();
        printf("step %d: port %s, %s, limits %s, rseq %s\n", i, now.sin_port == port ? "kept" : "changed",
               strcmp(got, sent) == 0 ? "datagram back" : "datagram lost",
               same_limit(RLIMIT_NOFILE, &files) && same_limit(RLIMIT_CORE, &core) && same_limit(RLIMIT_STACK, &stack) ? "kept" : "changed",
               rseq < 0 ? "off" : rseq ? "registered" : "unregistered");
        fflush(stdout);
        nanosleep(&step, NULL);
    }
    return 0;
}
