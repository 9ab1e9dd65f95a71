/* Makes a 32-bit syscall from 64-bit code (int $0x80, i386 getpid): its number means
 * something else in the 64-bit table, so recording must refuse it by name. */
#include <stdio.h>

int main(void)
{
    long r;
    printf("before the 32-bit syscall\n");
    fflush(stdout);
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
    printf("getpid by int $0x80: %s\n", r > 0 ? "a pid" : "an error");
    return 0;
}
