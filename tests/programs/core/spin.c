/* Computes for a while with no syscall at all, then prints the result: a stretch of a
 * recording that only an interrupt can stop in the middle of. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000000UL;
    volatile unsigned long x = 0;
    for (unsigned long i = 0; i < n; i++)
        x += i ^ (x >> 3);
    printf("%lu\n", x);
    return 0;
}
