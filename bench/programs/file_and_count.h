// Shared by the programs that read a file COUNT times (syscalls.c, stats.c).
#ifndef FILE_AND_COUNT_H
#define FILE_AND_COUNT_H
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>

// The arguments FILE [COUNT] of program NAME: FILE open for reading, returned, and COUNT (100000
// where not given) in *count; a usage line and exit status 2 without FILE, the error and 1 where
// FILE cannot be opened.
static int open_file_and_count(int argc, char **argv, const char *name, long *count)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE [COUNT]\n", name);
        exit(2);
    }
    *count = argc > 2 ? atol(argv[2]) : 100000L;
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        exit(1);
    }
    return fd;
}
#endif
