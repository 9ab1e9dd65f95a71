/* Probes syscall numbers no Linux has (as programs do to test for support, or use -1 as a
 * marker), and an x32 number past the x32 table: each fails with ENOSYS, and the program goes
 * on. A number with bit 32 set is the syscall of its low 32 bits, which is all the kernel reads. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    long numbers[] = { -1, -10, 400, 1000, 100000, 0x40000000 + 1000 };
    for (int i = 0; i < 6; i++) {
        errno = 0;
        long r = syscall(numbers[i]);
        printf("syscall(%ld) = %ld (%s)\n", numbers[i], r, strerror(errno));
    }
    long r = syscall(1L << 32 | 39);
    printf("syscall(1 << 32 | getpid) is getpid: %s\n", r == getpid() ? "yes" : "no");
    printf("pid still %s\n", getpid() > 0 ? "positive" : "wrong");
    return 0;
}
