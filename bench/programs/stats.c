// Calls Rewind answers in the program once their sites are patched (its page of hooked
// syscalls): COUNT rounds of stat() of a file, fstat() of it and getppid(), mixed into a sum.
// Usage: stats FILE [COUNT]   (default 100000 rounds)
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_and_count.h"

int main(int argc, char **argv)
{
    long n;
    int fd = open_file_and_count(argc, argv, "stats", &n);
    unsigned long sum = 0;
    struct stat st;
    for (long i = 0; i < n; i++) {
        if (stat(argv[1], &st) == 0)
            sum = sum * 31 + (unsigned long)st.st_size;
        if (fstat(fd, &st) == 0)
            sum = sum * 31 + (unsigned long)st.st_ino;
        sum = sum * 31 + (unsigned long)getppid();
    }
    printf("%ld rounds, sum %lx\n", n, sum);
    return 0;
}
