/* Asks for its pid twice and spins while the answers differ, which they never do when it runs;
 * a replay given another second answer spins for ever, unless something stops it. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    pid_t first = getpid(), second = getpid();
    volatile unsigned long spins = 0;
    while (first != second)
        spins++;
    printf("the same pid twice\n");
    return 0;
}
