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

/* At -O2 gcc describes p as DW_OP_implicit_pointer: gdb shows <synthetic pointer>. */
static inline __attribute__((always_inline)) int through(const int *p)
{
    int v = *p;
    asm volatile("" ::: "memory"); /* break: through */
    return v + 1;
}

__attribute__((noinline)) int compute(int seed)
{
    int base = seed + 1;
    int local = seed * 5;
    return sum_squares(base, seed * 3) + through(&local);
}

int main(int argc, char **argv)
{
    (void)argv;
    int r = compute(argc + 2);
    printf("%d\n", r);
    return r == 0;
}
