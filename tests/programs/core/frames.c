/* A signal handler's frame as its tracer lays it out (ForeignFrames): the handler reports where
 * its ucontext and saved state are and the state's size, as the state's software bytes give it,
 * and sets k1 in the saved opmask state, which the frame's layout keeps at OFFSET (argv[1]). The
 * interrupted code, stopped in a tgkill with k1 and xmm1 set, must find k1 as the handler left
 * it and xmm1 as it was. With a second argument the handler stays, spinning, until a SIGUSR2:
 * one to freeze the process inside. Needs AVX-512F. */
#define _GNU_SOURCE
/* k1 is set and read inside one asm statement: gcc, built without AVX-512, can neither use nor clobber it. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static long opmask_at;
static int stay;
static volatile sig_atomic_t released;
static void *seen_uc, *seen_state, *seen_info;
static uint32_t seen_size;

static void on_signal(int sig, siginfo_t *info, void *context)
{
    (void)sig;
    ucontext_t *uc = context;
    char *state = (char *)uc->uc_mcontext.fpregs;
    seen_uc = uc;
    seen_info = info;
    seen_state = state;
    seen_size = *(uint32_t *)(state + 464 + 16);
    *(uint64_t *)(state + opmask_at + 8) = 0x5a5a; /* k0 first, then k1 */
    *(uint64_t *)(state + 512) |= 1 << 5; /* XSTATE_BV: the opmask state is held */
    while (stay && !released)
        ; /* until SIGUSR2: a handler to be frozen inside */
}

static void on_release(int sig)
{
    (void)sig;
    released = 1;
}

int main(int argc, char **argv)
{
    opmask_at = strtol(argv[1], NULL, 0);
    stay = argc > 2;
    signal(SIGUSR2, on_release);
    struct sigaction sa = { 0 };
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    uint64_t k = 0x1234, x = 0x1122334455667788ull, k_after, x_after;
    long nr = SYS_tgkill;
    __asm__ volatile("kmovw %k[k], %%k1\n\t"
                     "movq %[x], %%xmm1\n\t"
                     "syscall\n\t"
                     "kmovw %%k1, %k[k_after]\n\t"
                     "movq %%xmm1, %[x_after]\n\t"
                     : [k_after] "=&r"(k_after), [x_after] "=&r"(x_after), "+a"(nr)
                     : [k] "r"(k), [x] "r"(x), "D"((long)getpid()), "S"((long)gettid()), "d"((long)SIGUSR1)
                     : "rcx", "r11", "memory", "xmm1");
    printf("ucontext %p info %p state %p size %u k1 %llx xmm1 %llx\n", seen_uc, seen_info, seen_state, seen_size,
           (unsigned long long)(k_after & 0xffff), (unsigned long long)x_after);
    return 0;
}
