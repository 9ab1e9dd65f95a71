/* Functions inlined at -O2 show as frames of their own. */
#include <stdio.h>
#include <stdlib.h>

static inline __attribute__((always_inline)) int square(int v)
{
    int product = v * v;
    asm volatile("" ::: "memory"); /* break: square */
    return product;
}

static inline __attribute__((always_inline)) int sum_squares(int a, int b)
{
    return square(a) + square(b);
}

__attribute__((noinline)) int compute(int seed)
{
    int base = seed + 1;
    return sum_squares(base, seed * 3);
}

int main(int argc, char **argv)
{
    (void)argv;
    int r = compute(argc + 2);
    printf("%d\n", r);
    return r == 0;
}
