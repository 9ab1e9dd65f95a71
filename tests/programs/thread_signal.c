// pthread_kill to a worker blocked in a wait: its handler runs on that thread.
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t handled_by_worker;
static pthread_t worker_id;
static int pipefd[2];

static void on_usr1(int sig)
{
    handled_by_worker = pthread_equal(pthread_self(), worker_id) ? sig : -1;
}

static void *worker(void *arg)
{
    char c;
    while (read(pipefd[0], &c, 1) == -1)
        ;
    return arg;
}

int main(void)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    pipe(pipefd);
    pthread_create(&worker_id, NULL, worker, NULL);
    usleep(20000);
    pthread_kill(worker_id, SIGUSR1);
    usleep(20000);
    write(pipefd[1], "x", 1);
    pthread_join(worker_id, NULL);
    printf("SIGUSR1 handled by the worker: %s\n", handled_by_worker == SIGUSR1 ? "yes" : "no");
    return 0;
}
