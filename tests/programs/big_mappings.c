/* Mappings of 2 GB and more: a 3 GB sparse file (written at a few places, mapped privately whole
 * and shared through a window past 2 GB, read a few pages), a file hole beyond 2 GB, and 2.5 GB
 * of /dev/zero mapped privately. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define GB (1024UL * 1024 * 1024)

static unsigned sum(const unsigned char *p, size_t n)
{
    unsigned s = 0;
    for (size_t i = 0; i < n; i++)
        s = s * 31 + p[i];
    return s;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    int fd = open("sparse.bin", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, 3 * GB) != 0) {
        perror("sparse.bin");
        return 1;
    }
    const char *marks[] = {"at the start", "past 2 GB", "near the end"};
    off_t places[] = {4096, 2 * GB + 8192, 3 * GB - 4096};
    for (int i = 0; i < 3; i++)
        pwrite(fd, marks[i], strlen(marks[i]) + 1, places[i]);

    unsigned char *whole = mmap(NULL, 3 * GB, PROT_READ, MAP_PRIVATE, fd, 0);
    unsigned char *shared = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 2 * GB);
    unsigned char *tail = mmap(NULL, 16 * 4096, PROT_READ, MAP_PRIVATE, fd, 2 * GB + 4096 * 4);
    if (whole == MAP_FAILED || shared == MAP_FAILED || tail == MAP_FAILED) {
        perror("mmap sparse.bin");
        return 1;
    }
    for (int i = 0; i < 3; i++)
        printf("private %s: %s\n", marks[i], (const char *)whole + places[i]);
    printf("shared past 2 GB: %s\n", (const char *)shared + 8192);
    printf("a hole past 2 GB: sum %u\n", sum(tail, 16 * 4096));
    strcpy((char *)shared + 4096 * 5, "written through the shared mapping");
    printf("read back through the shared window: %s\n", (const char *)shared + 4096 * 5);
    munmap(whole, 3 * GB);
    munmap(shared, 16 * 4096);
    munmap(tail, 16 * 4096);
    close(fd);
    unlink("sparse.bin");

    int zero = open("/dev/zero", O_RDWR);
    unsigned char *big = mmap(NULL, 5 * GB / 2, PROT_READ | PROT_WRITE, MAP_PRIVATE, zero, 0);
    close(zero);
    if (big == MAP_FAILED) {
        perror("mmap /dev/zero");
        return 1;
    }
    big[5 * GB / 2 - 1] = 7;
    big[GB] = 3;
    printf("/dev/zero 2.5 GB: sum of three pages %u, last %d\n",
           sum(big, 4096) + sum(big + GB, 4096) + sum(big + 2 * GB, 4096), big[5 * GB / 2 - 1]);
    return 0;
}
