/* Probes syscall numbers no Linux has (as programs do to test for support, or use -1 as a
 * marker): each fails with ENOSYS, and the program goes on. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    long numbers[] = { -1, -10, 400, 1000, 100000 };
    for (int i = 0; i < 5; i++) {
        errno = 0;
        long r = syscall(numbers[i]);
        printf("syscall(%ld) = %ld (%s)\n", numbers[i], r, strerror(errno));
    }
    printf("pid still %s\n", getpid() > 0 ? "positive" : "wrong");
    return 0;
}
