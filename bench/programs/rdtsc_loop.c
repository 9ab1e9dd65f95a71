/* 200 000 rdtsc in a loop, no syscalls: under rewind each one is a trapped instruction
 * (PR_TSC_SIGSEGV) the recorder completes and logs. */
#include <stdio.h>
#include <x86intrin.h>

int main(void)
{
    unsigned long long sum = 0, last = __rdtsc();
    int backwards = 0;
    for (int i = 0; i < 200000; i++) {
        unsigned long long t = __rdtsc();
        backwards += t < last;
        sum += t - last;
        last = t;
    }
    printf("rdtsc: backwards %d, positive sum %d\n", backwards, sum > 0);
    return 0;
}
