/* A loop with no syscall, long enough to be interrupted: spin N iterations, then exit 0. */
#include <stdlib.h>

int main(int argc, char **argv) {
    volatile unsigned long n = strtoul(argv[1], 0, 10), i;
    for (i = 0; i < n; i++) {
    }
    return 0;
}
