/* Makes 32-bit syscalls from 64-bit code (int $0x80, i386 getpid): their numbers mean
 * something else in the 64-bit table, so recording must refuse the first by name; it and every
 * later one fail with ENOSYS then, as the program runs on unrecorded. */
#include <stdio.h>

int main(void)
{
    printf("before the 32-bit syscall\n");
    fflush(stdout);
    for (int i = 0; i < 3; i++) {
        long r;
        __asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
        printf("getpid by int $0x80: %s\n", r > 0 ? "a pid" : r == -38 ? "ENOSYS" : "another error");
    }
    return 0;
}
