// Threads alive across many checkpoints: three workers alternate computing and sleeping (in the
// kernel while the others run) and print each round under a lock; worker 2 has an alternate
// signal stack and every tenth round takes a signal there, printing whether its handler ran on
// it. A replay from any checkpoint must print the rest of the output exactly.
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char altstack[1 << 16];
static volatile sig_atomic_t on_altstack;

static void handler(int sig)
{
    char here;
    (void)sig;
    on_altstack = &here >= altstack && &here < altstack + sizeof altstack;
}

static void *work(void *arg)
{
    int id = (int)(intptr_t)arg;
    if (id == 2) {
        stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
        sigaltstack(&ss, NULL);
    }
    uint64_t sum = id;
    for (int round = 1; round <= 40; round++) {
        for (int i = 0; i < 200000; i++)
            sum = sum * 6364136223846793005ULL + 1442695040888963407ULL;
        struct timespec pause = { 0, 2000000 };
        nanosleep(&pause, NULL);
        if (id == 2 && round % 10 == 0) {
            on_altstack = 0;
            pthread_kill(pthread_self(), SIGUSR1);
        }
        pthread_mutex_lock(&lock);
        printf("worker %d round %d sum %016llx%s\n", id, round, (unsigned long long)sum,
               id == 2 && round % 10 == 0 ? (on_altstack ? " (handler on its alternate stack)" : " (handler NOT on its alternate stack)") : "");
        fflush(stdout);
        pthread_mutex_unlock(&lock);
    }
    return (void *)(intptr_t)(sum & 0xff);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR1, &sa, NULL);
    pthread_t workers[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&workers[i], NULL, work, (void *)(intptr_t)(i + 1));
    int total = 0;
    for (int i = 0; i < 3; i++) {
        void *r;
        pthread_join(workers[i], &r);
        total += (int)(intptr_t)r;
    }
    printf("total %d\n", total);
    return 0;
}
