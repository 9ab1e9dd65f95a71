/* Signals queued while blocked, then unblocked at once (signal(7)): every instance of a real-time
 * signal comes, with its own si_value, oldest first, and the lowest number first; a standard
 * signal sent twice comes once; signals sent to the thread come before those sent to the process.
 * The kernel sets up one handler's frame after another before any runs (each blocks only its own
 * signal), so the handlers run last-come first. Their entry is two one-byte instructions, where a
 * recorder cannot place a signal and steps on, meanwhile taking the others from the kernel; the
 * program blocks SIGTRAP, which a step's forced SIGTRAP must leave blocked. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX 64

static struct { int sig, code, value, from_self, trap_blocked; } arrived[MAX];
static volatile sig_atomic_t count;

void on_signal(int sig, siginfo_t *info, void *context)
{
    (void)context;
    if (count < MAX) {
        arrived[count].sig = sig;
        arrived[count].code = info->si_code;
        arrived[count].value = info->si_code == SI_QUEUE ? info->si_value.sival_int : 0;
        arrived[count].from_self = info->si_pid == getpid();
        sigset_t now;
        sigprocmask(SIG_BLOCK, NULL, &now);
        arrived[count].trap_blocked = sigismember(&now, SIGTRAP);
        count++;
    }
}

void entry(int, siginfo_t *, void *);
__asm__(".text\n"
        ".globl entry\n"
        "entry:\n"
        "    push %rbp\n"
        "    pop %rbp\n"
        "    jmp on_signal\n");

static const char *name(int sig)
{
    static char buf[16];
    if (sig == SIGUSR1)
        return "SIGUSR1";
    if (sig == SIGUSR2)
        return "SIGUSR2";
    snprintf(buf, sizeof buf, "SIGRTMIN+%d", sig - SIGRTMIN);
    return buf;
}

static void queue(int sig, int n, int first)
{
    for (int i = 0; i < n; i++) {
        union sigval v = { .sival_int = first + i };
        sigqueue(getpid(), sig, v);
    }
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int sigs[] = { SIGUSR1, SIGUSR2, SIGRTMIN, SIGRTMIN + 1, SIGRTMIN + 2 };
    sigset_t all;
    sigemptyset(&all);
    for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaddset(&all, sigs[i]);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = entry;
    sa.sa_flags = SA_SIGINFO;
    for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaction(sigs[i], &sa, NULL);
    sigset_t trap;
    sigemptyset(&trap);
    sigaddset(&trap, SIGTRAP);
    sigprocmask(SIG_BLOCK, &trap, NULL);

    for (int round = 0; round < 2; round++) {
        count = 0;
        sigprocmask(SIG_BLOCK, &all, NULL);
        // The higher number first: the kernel still takes the lower one first.
        queue(SIGRTMIN + 1, 3, 200);
        queue(SIGRTMIN, 5, 100);
        kill(getpid(), SIGUSR2);
        kill(getpid(), SIGUSR1);
        kill(getpid(), SIGUSR1);
        raise(SIGRTMIN + 2);
        raise(SIGRTMIN + 2);
        sigset_t pending;
        sigpending(&pending);
        printf("round %d: pending", round);
        for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++)
            printf(" %s %d", name(sigs[i]), sigismember(&pending, sigs[i]));
        printf("\n");
        sigprocmask(SIG_UNBLOCK, &all, NULL);
        printf("round %d: %d came\n", round, (int)count);
        for (int i = 0; i < count; i++)
            printf("  %s %s value %d from itself %d, SIGTRAP blocked %d\n", name(arrived[i].sig),
                   arrived[i].code == SI_QUEUE ? "SI_QUEUE" : arrived[i].code == SI_TKILL ? "SI_TKILL" : arrived[i].code == SI_USER ? "SI_USER" : "other",
                   arrived[i].value, arrived[i].from_self, arrived[i].trap_blocked);
    }
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("SIGTRAP blocked %d\n", sigismember(&now, SIGTRAP));
    return 0;
}
