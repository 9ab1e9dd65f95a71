/* 20 000 clock_gettime(CLOCK_MONOTONIC) in a loop: natively the vDSO answers each without a
 * syscall; under rewind each one is a syscall the recorder answers and logs. */
#include <stdio.h>
#include <time.h>

int main(void)
{
    struct timespec last, now;
    clock_gettime(CLOCK_MONOTONIC, &last);
    int backwards = 0;
    for (int i = 0; i < 20000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        backwards += now.tv_sec < last.tv_sec || (now.tv_sec == last.tv_sec && now.tv_nsec < last.tv_nsec);
        last = now;
    }
    printf("clock_loop: backwards %d\n", backwards);
    return 0;
}
