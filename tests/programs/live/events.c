// An event loop as servers and runtimes have: epoll over a timerfd that paces it, an eventfd
// it signals itself through, a signalfd for SIGUSR1 and a TCP listener it connects to. Each
// step prints what woke it; resumed, every one must be there again and wake it the same way.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

int main(void)
{
    int timer = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
    struct itimerspec every = {{0, 20 * 1000 * 1000}, {0, 20 * 1000 * 1000}};
    timerfd_settime(timer, 0, &every, NULL);
    int counter = eventfd(0, EFD_NONBLOCK);
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    int signals = signalfd(-1, &usr1, 0);
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof address;
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 4) != 0
        || getsockname(listener, (struct sockaddr *)&address, &length) != 0) {
        perror("listen");
        return 1;
    }
    int loop = epoll_create1(0);
    int watched[] = {timer, counter, signals, listener};
    for (int i = 0; i < 4; i++) {
        struct epoll_event e = {.events = EPOLLIN, .data.u32 = 100 + i};
        epoll_ctl(loop, EPOLL_CTL_ADD, watched[i], &e);
    }
    const char *names[] = {"timer", "counter", "signal", "listener"};
    for (int step = 0; step < 150;) {
        struct epoll_event ready[4];
        int n = epoll_wait(loop, ready, 4, 1000);
        for (int i = 0; i < n; i++) {
            uint64_t value = 0;
            int which = ready[i].data.u32 - 100;
            if (which == 0) {
                read(timer, &value, sizeof value);
                step++;
                uint64_t one = 1;
                if (step % 3 == 0)
                    write(counter, &one, sizeof one);
                if (step % 5 == 0)
                    kill(getpid(), SIGUSR1);
                if (step % 7 == 0) {
                    int client = socket(AF_INET, SOCK_STREAM, 0);
                    connect(client, (struct sockaddr *)&address, sizeof address);
                    close(client);
                }
                printf("step %d\n", step);
            } else if (which == 1) {
                read(counter, &value, sizeof value);
                printf("  %s %llu\n", names[which], (unsigned long long)value);
            } else if (which == 2) {
                struct signalfd_siginfo info;
                read(signals, &info, sizeof info);
                printf("  %s %u\n", names[which], info.ssi_signo);
            } else {
                close(accept(listener, NULL, NULL));
                printf("  %s accepted\n", names[which]);
            }
            fflush(stdout);
        }
    }
    printf("done\n");
    return 0;
}
