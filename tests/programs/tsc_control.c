/* The program's own PR_SET_TSC: PR_GET_TSC reads back what it set, and after PR_TSC_SIGSEGV an
 * rdtsc delivers SIGSEGV to its handler; PR_TSC_ENABLE lets rdtsc run again. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <x86intrin.h>

static sigjmp_buf back;
static volatile int faults;

static void on_segv(int sig, siginfo_t *info, void *context)
{
    (void)context;
    faults++;
    printf("signal %d, si_code %d\n", sig, info->si_code);
    siglongjmp(back, 1);
}

static void show(const char *when)
{
    int tsc = -1;
    int r = prctl(PR_GET_TSC, &tsc, 0, 0, 0);
    printf("%s: PR_GET_TSC = %d, %s\n", when, r, tsc == PR_TSC_ENABLE ? "PR_TSC_ENABLE" : tsc == PR_TSC_SIGSEGV ? "PR_TSC_SIGSEGV" : "?");
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_NODEFER };
    sigaction(SIGSEGV, &sa, NULL);
    show("at start");
    uint64_t a = __rdtsc();
    printf("rdtsc ran: %s\n", a != 0 ? "yes" : "no");

    printf("PR_SET_TSC(PR_TSC_SIGSEGV) = %d\n", prctl(PR_SET_TSC, PR_TSC_SIGSEGV, 0, 0, 0));
    show("after SIGSEGV");
    if (sigsetjmp(back, 1) == 0) {
        uint64_t b = __rdtsc();
        printf("rdtsc ran where it should fault (%d)\n", b != 0);
    }
    if (sigsetjmp(back, 1) == 0) {
        unsigned aux;
        uint64_t c = __rdtscp(&aux);
        printf("rdtscp ran where it should fault (%d)\n", c != 0);
    }
    printf("faults: %d\n", faults);

    printf("PR_SET_TSC(PR_TSC_ENABLE) = %d\n", prctl(PR_SET_TSC, PR_TSC_ENABLE, 0, 0, 0));
    show("after ENABLE");
    uint64_t d = __rdtsc();
    printf("rdtsc ran: %s, faults: %d\n", d != 0 ? "yes" : "no", faults);
    printf("PR_SET_TSC(7) = %d\n", prctl(PR_SET_TSC, 7, 0, 0, 0));
    return 0;
}
