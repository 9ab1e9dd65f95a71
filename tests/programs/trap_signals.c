/* A recorder that traps rdtsc (PR_TSC_SIGSEGV) and CPUID (ARCH_SET_CPUID) makes each of them a
 * SIGSEGV the kernel forces on the thread (force_sig_info_to_task): where the program blocked or
 * ignored SIGSEGV, that unblocks it and resets its handler to SIG_DFL for good. Natively neither
 * faults. The program runs both with SIGSEGV blocked (and one already pending), ignored, handled
 * and blocked, handled with SA_RESETHAND, inside handlers whose mask blocks it, in a thread that
 * blocks everything, in a child and after exec, reads back its mask and its SIGSEGV action each
 * time, and raises a real SIGSEGV where it must stay pending or be ignored. */
#define _GNU_SOURCE
#include <cpuid.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <x86intrin.h>

static volatile uint64_t sink;
static volatile sig_atomic_t segvs, usr1s;
static volatile int segv_code, blocked_in_usr1;
static sigjmp_buf back;

static void traps(void)
{
    unsigned a, b, c, d;
    sink += __rdtsc();
    __cpuid(0, a, b, c, d);
    sink += a;
}

static int blocked(int sig)
{
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    return sigismember(&now, sig);
}

static const char *action(void)
{
    struct sigaction now;
    sigaction(SIGSEGV, NULL, &now);
    return now.sa_handler == SIG_DFL ? "SIG_DFL" : now.sa_handler == SIG_IGN ? "SIG_IGN" : "handler";
}

static void show(const char *when)
{
    sigset_t pending;
    sigpending(&pending);
    printf("%s: SIGSEGV blocked %d, pending %d, %s\n", when, blocked(SIGSEGV), sigismember(&pending, SIGSEGV), action());
}

static void on_segv(int sig, siginfo_t *info, void *context)
{
    (void)sig, (void)context;
    segvs++;
    segv_code = info->si_code;
    traps();
}

static void on_fault(int sig)
{
    (void)sig;
    segvs++;
    traps();
    siglongjmp(back, 1);
}

static void on_usr1(int sig)
{
    (void)sig;
    usr1s++;
    traps();
    blocked_in_usr1 = blocked(SIGSEGV);
}

static void handle(int sig, void (*fn)(int), int flags, int masked)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    if (masked)
        sigaddset(&sa.sa_mask, masked);
    sigaction(sig, &sa, NULL);
}

static void block(int how, int sig)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(how, &set, NULL);
}

static void *blocking_thread(void *arg)
{
    (void)arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, NULL);
    traps();
    sigset_t now;
    pthread_sigmask(SIG_BLOCK, NULL, &now);
    printf("thread: SIGSEGV blocked %d, SIGTERM blocked %d, %s\n", sigismember(&now, SIGSEGV), sigismember(&now, SIGTERM), action());
    return NULL;
}

static void after_exec(void)
{
    traps();
    show("after exec");
    raise(SIGSEGV);
    show("after exec, raised");
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1) {
        after_exec();
        return 0;
    }

    block(SIG_BLOCK, SIGSEGV);
    traps();
    show("blocked");
    raise(SIGSEGV);
    traps();
    show("blocked, raised");
    // Ignoring a pending signal discards it (sigaction(2)).
    handle(SIGSEGV, SIG_IGN, 0, 0);
    block(SIG_UNBLOCK, SIGSEGV);
    traps();
    show("ignored");
    raise(SIGSEGV);
    show("ignored, raised");

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaddset(&sa.sa_mask, SIGUSR2);
    sigaction(SIGSEGV, &sa, NULL);
    block(SIG_BLOCK, SIGSEGV);
    traps();
    struct sigaction now;
    sigaction(SIGSEGV, NULL, &now);
    printf("handled and blocked: same handler %d, SA_SIGINFO|SA_RESTART %d, SIGUSR2 in its mask %d\n", now.sa_sigaction == on_segv,
           (now.sa_flags & (SA_SIGINFO | SA_RESTART)) == (SA_SIGINFO | SA_RESTART), sigismember(&now.sa_mask, SIGUSR2));
    raise(SIGSEGV);
    show("handled and blocked, raised");
    block(SIG_UNBLOCK, SIGSEGV);
    printf("unblocked: handled %d, si_code SI_TKILL %d\n", (int)segvs, segv_code == SI_TKILL);
    show("after its handler");

    handle(SIGUSR1, on_usr1, 0, SIGSEGV);
    raise(SIGUSR1);
    printf("SIGUSR1 handler: ran %d, SIGSEGV blocked there %d\n", (int)usr1s, blocked_in_usr1);
    show("after SIGUSR1's handler");

    // A real fault: the handler's own mask blocks SIGSEGV while it runs, and it jumps out.
    char *page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    handle(SIGSEGV, on_fault, 0, 0);
    for (int i = 0; i < 2; i++)
        if (sigsetjmp(back, 1) == 0)
            page[i] = 1;
    printf("faults handled: %d\n", (int)segvs - 1);
    show("after the faults");

    handle(SIGSEGV, on_fault, SA_RESETHAND, 0);
    if (sigsetjmp(back, 1) == 0)
        page[0] = 1;
    block(SIG_BLOCK, SIGSEGV);
    traps();
    show("SA_RESETHAND, then blocked");
    block(SIG_UNBLOCK, SIGSEGV);

    handle(SIGSEGV, on_fault, 0, 0);
    pthread_t t;
    pthread_create(&t, NULL, blocking_thread, NULL);
    pthread_join(t, NULL);

    block(SIG_BLOCK, SIGSEGV);
    pid_t child = fork();
    if (child == 0) {
        traps();
        show("child");
        _exit(0);
    }
    waitpid(child, NULL, 0);

    handle(SIGSEGV, SIG_IGN, 0, 0);
    execl("/proc/self/exe", argv[0], "again", (char *)NULL);
    perror("execl");
    return 1;
}
