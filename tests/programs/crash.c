// Killed by SIGSEGV: a write through a NULL pointer.
#include <stdio.h>

static void store(int *where, int value)
{
    *where = value;
}

int main(void)
{
    printf("before the crash\n");
    fprintf(stderr, "crash: writing through NULL\n");
    fflush(stdout);
    store((int *)0, 42);
    printf("after the crash (never printed)\n");
    return 0;
}
