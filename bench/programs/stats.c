// Calls Rewind answers in the program once their sites are patched (its page of hooked
// syscalls): COUNT rounds of stat() of a file, fstat() of it and getppid(), mixed into a sum.
// Usage: stats FILE [COUNT]   (default 100000 rounds)
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: stats FILE [COUNT]\n");
        return 2;
    }
    long n = argc > 2 ? atol(argv[2]) : 100000L;
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
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
