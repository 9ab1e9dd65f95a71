/* Mapping /dev/zero: privately and shared, both zero-filled anonymous memory the program
 * writes; a child's copy of the private one is its own. (What a child writes to the shared one
 * is not recorded yet: docs/decisions.md.) */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIZE (64 * 4096)

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int fd = open("/dev/zero", O_RDWR);
    unsigned char *priv = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    unsigned char *shared = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    unsigned char *offset = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 1 << 20);
    close(fd);
    if (priv == MAP_FAILED || shared == MAP_FAILED || offset == MAP_FAILED) {
        perror("mmap /dev/zero");
        return 1;
    }
    unsigned long sum = 0;
    for (int i = 0; i < SIZE; i++)
        sum += priv[i] + shared[i];
    printf("zero-filled: sum %lu, at an offset %d\n", sum, offset[100]);
    memset(priv, 1, SIZE);
    strcpy((char *)shared, "written through the shared mapping");
    pid_t child = fork();
    if (child == 0) {
        priv[0] = 2;
        _exit(0);
    }
    waitpid(child, NULL, 0);
    printf("shared: %s\n", shared);
    printf("private after the child: %d\n", priv[0]);
    madvise(priv, SIZE, MADV_DONTNEED);
    printf("private after MADV_DONTNEED: %d\n", priv[5]);
    return 0;
}
