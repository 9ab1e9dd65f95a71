/* A small debuggee for the gdb end-to-end tests: known lines, a global written at known
   statements, a loop of calls, and a crash at the end. Line numbers are asserted by the
   tests through the "// L:name" markers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int counter; /* written by bump() */
int total;

static int square(int v)
{
    int r = v * v; // L:square-body
    return r; // L:square-return
}

static void bump(int by)
{
    counter += by; // L:bump-write
    total += square(by); // L:bump-square
} // L:bump-end

static void crash(int *where)
{
    *where = counter; // L:crash-write
}

int main(int argc, char **argv)
{
    int limit = argc > 1 ? atoi(argv[1]) : 5; // L:main-limit
    for (int i = 1; i <= limit; i++) { // L:main-loop
        bump(i); // L:main-bump
        getppid(); // L:main-syscall
    }
    printf("counter=%d total=%d\n", counter, total); // L:main-print
    fflush(stdout);
    if (argc > 2)
        crash(NULL); // L:main-crash
    return 0; // L:main-return
}
