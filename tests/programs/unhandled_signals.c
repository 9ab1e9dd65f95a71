/* Signals the program does not handle interrupt its waits: ignored ones (SIGWINCH, SIGCHLD,
 * SIGURG, an explicit SIG_IGN) and a SIGSTOP/SIGCONT pair. Each wait goes on as if nothing
 * happened (the kernel restarts it, or sleeps the rest of a nanosleep). */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A child that sends the parent each signal, 30 ms apart, then writes to the pipe. */
static void poke(int fd, const int *signals, int count)
{
    pid_t parent = getpid();
    if (fork() == 0) {
        for (int i = 0; i < count; i++) {
            usleep(30000);
            kill(parent, signals[i]);
        }
        usleep(30000);
        write(fd, "go", 2);
        _exit(0);
    }
}

int main(void)
{
    signal(SIGUSR2, SIG_IGN);
    int p[2];
    pipe(p);

    int ignored[] = { SIGWINCH, SIGUSR2, SIGURG };
    poke(p[1], ignored, 3);
    char buf[8];
    printf("read %zd after ignored signals\n", read(p[0], buf, sizeof buf));
    wait(NULL);

    int stop[] = { SIGSTOP, SIGCONT };
    poke(p[1], stop, 2);
    printf("read %zd after SIGSTOP and SIGCONT\n", read(p[0], buf, sizeof buf));
    wait(NULL);

    pid_t parent = getpid();
    if (fork() == 0) {
        usleep(30000);
        kill(parent, SIGWINCH);
        _exit(0);
    }
    struct timespec nap = { 0, 150000000 };
    printf("nanosleep %d through SIGWINCH and SIGCHLD\n", nanosleep(&nap, NULL));
    wait(NULL);
    return 0;
}
