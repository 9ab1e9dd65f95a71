/* A private mapping of a file (a memfd, open for writing) while the program pwrites the file:
 * its first page shows the file (the program never writes it there), its second the program's
 * own writes. Going back must show both as they were then, not the file as it is later. */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#define TURNS 4

int main(void)
{
    int fd = memfd_create("views", 0);
    char *view = fd < 0 || ftruncate(fd, 8192) != 0 ? MAP_FAILED : mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (view == MAP_FAILED)
        return 1;
    for (int i = 0; i < TURNS; i++) {
        char digit = '0' + i;
        pwrite(fd, &digit, 1, 0);
        view[4096] = 'a' + i;
        printf("turn %d: file %c, own %c\n", i, view[0], view[4096]); // L:show
    }
    return 0;
}
