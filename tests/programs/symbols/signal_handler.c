/* A signal handler: the backtrace goes through the kernel's signal frame (__restore_rt). */
#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile sig_atomic_t seen;

static void on_signal(int signo)
{
    int doubled = signo * 2;
    seen = doubled; /* break: on_signal */
}

static void send_it(int which)
{
    int before = which + 1;
    raise(which);
    printf("%d\n", before);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGUSR1, &sa, NULL);
    send_it(SIGUSR1);
    return seen == 0;
}
