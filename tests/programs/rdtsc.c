// The time-stamp counter read by rdtsc / rdtscp: no syscall at all. The recorder
// traps it (PR_SET_TSC) and must log every value.
#include <stdint.h>
#include <stdio.h>
#include <x86intrin.h>

static uint64_t rdtsc_asm(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

int main(void)
{
    uint64_t a = __rdtsc();
    unsigned int aux = 0;
    uint64_t b = __rdtscp(&aux);
    uint64_t c = rdtsc_asm();
    printf("rdtsc: %llu\n", (unsigned long long)a);
    printf("rdtscp: %llu\n", (unsigned long long)b);
    printf("rdtscp_aux: %u\n", aux);
    printf("rdtsc_asm: %llu\n", (unsigned long long)c);
    printf("ordered: %s\n", a <= b && b <= c ? "yes" : "no");

    uint64_t prev = rdtsc_asm(), mix = 0;
    for (int i = 0; i < 200; i++) {
        uint64_t t = (i & 1) ? __rdtscp(&aux) : __rdtsc();
        mix = mix * 31 + (t - prev);
        prev = t;
    }
    printf("loop_last: %llu\n", (unsigned long long)prev);
    printf("loop_mix: %llu\n", (unsigned long long)mix);
    fprintf(stderr, "rdtsc: read the counter %d times\n", 204);
    return 0;
}
