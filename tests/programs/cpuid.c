// CPUID executed by the program itself, in its main thread and in a worker, and its own
// CPUID faulting (arch_prctl ARCH_SET_CPUID), which the kernel refuses with ENODEV where the
// CPU cannot fault. Where the recording CPU faults, every answer comes from the trace's table,
// and a replay on any CPU that faults prints the same. Per-core values (the APIC ids) are left
// out: untrapped, they depend on the core the thread runs on (apic_ids.c prints them).
#include <asm/prctl.h>
#include <cpuid.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static unsigned long long features_digest(void)
{
    static const unsigned leaves[][2] = {{0, 0}, {7, 0}, {7, 1}, {0xd, 0}, {0xd, 1}, {0x80000000, 0}, {0x80000001, 0}};
    unsigned long long h = 1469598103934665603ull;
    for (unsigned i = 0; i < sizeof leaves / sizeof leaves[0]; i++) {
        unsigned r[4];
        __cpuid_count(leaves[i][0], leaves[i][1], r[0], r[1], r[2], r[3]);
        for (int j = 0; j < 4; j++)
            h = (h ^ r[j]) * 1099511628211ull;
    }
    return h;
}

static void *worker(void *arg)
{
    *(unsigned long long *)arg = features_digest();
    return NULL;
}

static sigjmp_buf back;
static volatile int faults;

static void on_segv(int signal)
{
    (void)signal;
    faults++;
    siglongjmp(back, 1);
}

int main(void)
{
    unsigned a, b, c, d;
    char vendor[13] = {0};
    __cpuid(0, a, b, c, d);
    memcpy(vendor, &b, 4);
    memcpy(vendor + 4, &d, 4);
    memcpy(vendor + 8, &c, 4);
    printf("vendor: %s, max leaf 0x%x\n", vendor, a);
    __cpuid(1, a, b, c, d);
    printf("leaf 1: eax %08x ecx %08x edx %08x (rdrand %s)\n", a, c, d, c & (1u << 30) ? "shown" : "hidden");
    __cpuid_count(7, 0, a, b, c, d);
    printf("leaf 7: ebx %08x ecx %08x edx %08x (avx2 %s, avx512f %s, rdseed %s)\n", b, c, d,
           b & (1u << 5) ? "shown" : "hidden", b & (1u << 16) ? "shown" : "hidden", b & (1u << 18) ? "shown" : "hidden");

    unsigned long long mine = features_digest(), theirs = 0;
    pthread_t thread;
    pthread_create(&thread, NULL, worker, &theirs);
    pthread_join(thread, NULL);
    printf("digest %016llx, the worker's %s\n", mine, mine == theirs ? "the same" : "differs");

    printf("ARCH_GET_CPUID: %ld\n", syscall(SYS_arch_prctl, ARCH_GET_CPUID, 0));
    if (syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0) != 0) {
        printf("ARCH_SET_CPUID: %s\n", strerror(errno));
        return 0;
    }
    // The program's own trap: its CPUID is a SIGSEGV it handles.
    signal(SIGSEGV, on_segv);
    if (sigsetjmp(back, 1) == 0)
        __cpuid(0, a, b, c, d);
    printf("own trap: %d fault(s), ARCH_GET_CPUID then %ld\n", faults, syscall(SYS_arch_prctl, ARCH_GET_CPUID, 0));
    syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1);
    __cpuid(0, a, b, c, d);
    printf("after ARCH_SET_CPUID 1: max leaf 0x%x, ARCH_GET_CPUID %ld\n", a, syscall(SYS_arch_prctl, ARCH_GET_CPUID, 0));
    return 0;
}
