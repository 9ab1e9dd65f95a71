/* A program whose state lives everywhere a checkpoint must capture: general registers and
 * AVX registers held across syscalls (inline asm), the stack, the heap, a 1 GB allocation
 * touched sparsely, a signal handler that fires, and a private mapping of a data file.
 * Usage: checkpoint_state STEPS DATAFILE [SLEEP_MS]. Prints one line per step and a final digest.
 * Used by the checkpoint tests and benchmarks: replay from any checkpoint must print the
 * same remaining lines and the same digest. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BIG (1UL << 30)
#define PAGE 4096UL

static volatile sig_atomic_t handled;
static uint64_t handler_sum;

static void on_usr1(int sig) {
    handled++;
    handler_sum = handler_sum * 31 + (uint64_t)sig + handled;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) { h ^= b[i]; h *= 1099511628211ULL; }
    return h;
}

/* A write(2) of msg with r12..r15 and ymm8/ymm9 live across the syscall: a checkpoint taken
 * at its exit must bring them back. Returns a digest of what the registers hold afterwards. */
static uint64_t write_holding_registers(const char *msg, size_t len, uint64_t seed) {
    uint64_t r12 = seed, r13 = seed * 3, r14 = seed ^ 0x5555, r15 = ~seed, out[8];
    uint64_t vec[8] = { seed, seed + 1, seed + 2, seed + 3, seed * 7, seed * 11, seed * 13, seed * 17 };
    long ret;
    __asm__ volatile(
        "vmovdqu (%[vec]), %%ymm8\n\t"
        "vmovdqu 32(%[vec]), %%ymm9\n\t"
        "mov %[r12], %%r12\n\t"
        "mov %[r13], %%r13\n\t"
        "mov %[r14], %%r14\n\t"
        "mov %[r15], %%r15\n\t"
        "mov $1, %%eax\n\t"
        "mov $1, %%edi\n\t"
        "mov %[msg], %%rsi\n\t"
        "mov %[len], %%rdx\n\t"
        "syscall\n\t"
        "mov %%rax, %[ret]\n\t"
        "vmovdqu %%ymm8, (%[out])\n\t"
        "vmovdqu %%ymm9, 32(%[out])\n\t"
        "mov %%r12, %[r12]\n\t"
        "mov %%r13, %[r13]\n\t"
        "mov %%r14, %[r14]\n\t"
        "mov %%r15, %[r15]\n\t"
        : [ret] "=m"(ret), [r12] "+m"(r12), [r13] "+m"(r13), [r14] "+m"(r14), [r15] "+m"(r15)
        : [vec] "r"(vec), [out] "r"(out), [msg] "r"(msg), [len] "r"(len)
        : "rax", "rdi", "rsi", "rdx", "rcx", "r11", "r12", "r13", "r14", "r15", "xmm8", "xmm9", "memory");
    if (ret != (long)len) exit(3);
    uint64_t h = fnv(1469598103934665603ULL, out, sizeof out);
    uint64_t regs[4] = { r12, r13, r14, r15 };
    return fnv(h, regs, sizeof regs);
}

int main(int argc, char **argv) {
    int steps = argc > 1 ? atoi(argv[1]) : 100;
    int fd = open(argc > 2 ? argv[2] : "/dev/null", O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size < 8192) { fprintf(stderr, "need a data file of at least 8 KiB\n"); return 2; }
    unsigned char *data = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    unsigned char *big = mmap(NULL, BIG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    unsigned char *heap = malloc(1 << 20);
    if (data == MAP_FAILED || big == MAP_FAILED || !heap) return 2;
    memset(heap, 0x11, 1 << 20);
    struct sigaction sa = { .sa_handler = on_usr1 };
    sigaction(SIGUSR1, &sa, NULL);

    volatile uint64_t stack_words[512];
    for (int i = 0; i < 512; i++) stack_words[i] = (uint64_t)i * 0x9e3779b97f4a7c15ULL;
    uint64_t acc = 0;
    int sleep_ms = argc > 3 ? atoi(argv[3]) : 10;
    struct timespec tick = { sleep_ms / 1000, (long)(sleep_ms % 1000) * 1000 * 1000 };
    for (int step = 0; step < steps; step++) {
        for (int k = 0; k < 8; k++) {
            size_t page = ((size_t)step * 8 + k) * 2654435761UL % (BIG / PAGE);
            big[page * PAGE + (step % PAGE)] = (unsigned char)(step + k + 1);
        }
        heap[(step * 4099) % (1 << 20)] ^= (unsigned char)step;
        data[(step * 13) % st.st_size] += 1;
        stack_words[step % 512] += acc;
        if (step % 10 == 5) kill(getpid(), SIGUSR1);
        char line[96];
        int n = snprintf(line, sizeof line, "step %d acc %016llx handled %d\n", step, (unsigned long long)acc, (int)handled);
        acc = acc * 1099511628211ULL ^ write_holding_registers(line, (size_t)n, acc + step);
        if (sleep_ms > 0) nanosleep(&tick, NULL);
    }
    uint64_t h = fnv(acc, heap, 1 << 20);
    h = fnv(h, data, st.st_size);
    h = fnv(h, (const void *)stack_words, sizeof stack_words);
    for (size_t page = 0; page < BIG / PAGE; page++) h = fnv(h, big + page * PAGE + (page % PAGE), 1);
    h = fnv(h, &handler_sum, sizeof handler_sum);
    printf("digest %016llx handled %d\n", (unsigned long long)h, (int)handled);
    return 0;
}
