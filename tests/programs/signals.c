// Signals: alarm() interrupting a sleep, a SIGUSR1 handler run by raise(), and a
// blocked signal that stays pending until it is unblocked.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms, usr1s, usr2s;

static void on_alarm(int sig) { (void)sig; alarms++; }
static void on_usr1(int sig) { (void)sig; usr1s++; }
static void on_usr2(int sig) { (void)sig; usr2s++; }

static void handle(int sig, void (*fn)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

int main(void)
{
    handle(SIGALRM, on_alarm);
    handle(SIGUSR1, on_usr1);
    handle(SIGUSR2, on_usr2);

    raise(SIGUSR1);
    printf("usr1_handled: %d\n", (int)usr1s);

    sigset_t set, pending;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR2);
    sigpending(&pending);
    printf("usr2_pending: %d\n", sigismember(&pending, SIGUSR2));
    printf("usr2_handled_while_blocked: %d\n", (int)usr2s);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    printf("usr2_handled_after_unblock: %d\n", (int)usr2s);

    alarm(1);
    unsigned left = sleep(5);
    printf("sleep_interrupted: %s\n", left > 0 ? "yes" : "no");
    printf("alarm_handled: %d\n", (int)alarms);

    // A blocking read interrupted by a timer signal (no SA_RESTART) fails with EINTR.
    struct itimerval it = { { 0, 0 }, { 0, 100 * 1000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    char c;
    int fds[2];
    if (pipe(fds) == 0) {
        ssize_t n = read(fds[0], &c, 1);
        printf("read_interrupted: %s\n", n < 0 && errno == EINTR ? "yes" : "no");
    }
    printf("alarm_handled: %d\n", (int)alarms);
    fprintf(stderr, "signals: %d alarms, %d usr1, %d usr2\n", (int)alarms, (int)usr1s, (int)usr2s);
    return 0;
}
