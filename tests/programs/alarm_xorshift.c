/* SIGALRM every 10 ms (a real-time interval timer) into an xorshift loop of register
 * arithmetic that makes no syscall. The handler takes a sample of the state it interrupted;
 * the digest of the samples and the state depend on exactly where each signal landed. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

static volatile uint64_t state = 88172645463325252ull;
static volatile int alarms;
static uint64_t samples;

static void on_alarm(int signal)
{
    (void)signal;
    samples = samples * 31 + state;
    alarms++;
}

int main(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_alarm;
    sigaction(SIGALRM, &action, NULL);
    struct itimerval every = { { 0, 10000 }, { 0, 10000 } };
    setitimer(ITIMER_REAL, &every, NULL);
    uint64_t x = state;
    unsigned long rounds = 0;
    while (alarms < 8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        state = x;
        rounds++;
    }
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &off, NULL);
    printf("%d alarms handled\n", alarms);
    printf("digest: %016llx after %lu rounds\n", (unsigned long long)(samples ^ x), rounds);
    return 0;
}
