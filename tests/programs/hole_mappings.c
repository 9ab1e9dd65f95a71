/* Files past 256 MiB that hold (almost) no data, mapped whole and read at their data and in
 * their holes: a memfd of 512 MiB of holes alone, and a 400 MiB file with three pages of data.
 * Each is mapped through a descriptor open for reading only (replay maps a copy of the file's
 * bytes) and through one open for writing (replay maps its stand-in); both store the data pieces
 * alone. The memfd once made a trace that replay refused: its blob had no piece at all. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MB (1024L * 1024)

static unsigned sum(const unsigned char *p, size_t n)
{
    unsigned s = 0;
    for (size_t i = 0; i < n; i++)
        s = s * 31 + p[i];
    return s;
}

/* The page at each of the places, as a mapping of the whole file shows it. */
static void show(const char *what, const unsigned char *p, const long *places, int count)
{
    for (int i = 0; i < count; i++)
        printf("%s at %ld MiB + %ld: sum %u, \"%.24s\"\n", what, places[i] / MB, places[i] % MB,
               sum(p + places[i], 4096), (const char *)p + places[i]);
}

/* Maps the file of fd privately, whole, read-only. */
static const unsigned char *whole(int fd, long size, const char *what)
{
    const unsigned char *p = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED)
        perror(what);
    return p == MAP_FAILED ? NULL : p;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const long holes = 512 * MB, sparse = 400 * MB;
    int memfd = memfd_create("holes", 0);
    if (memfd < 0 || ftruncate(memfd, holes) != 0) {
        perror("memfd");
        return 1;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
    int memfd_read = open(path, O_RDONLY);

    int fd = open("sparse.bin", O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || ftruncate(fd, sparse) != 0) {
        perror("sparse.bin");
        return 1;
    }
    const char *marks[] = {"at the start", "past 300 MiB", "in the last page"};
    long places[] = {0, 300 * MB + 8192, sparse - 4096};
    for (int i = 0; i < 3; i++)
        pwrite(fd, marks[i], strlen(marks[i]) + 1, places[i]);
    int fd_read = open("sparse.bin", O_RDONLY);

    const unsigned char *maps[] = {whole(memfd_read, holes, "memfd, read-only"), whole(memfd, holes, "memfd"),
                                   whole(fd_read, sparse, "sparse.bin, read-only"), whole(fd, sparse, "sparse.bin")};
    for (int i = 0; i < 4; i++)
        if (maps[i] == NULL)
            return 1;
    long memfd_places[] = {0, 4096, 256 * MB, holes - 4096};
    show("memfd through a read-only descriptor", maps[0], memfd_places, 4);
    show("memfd", maps[1], memfd_places, 4);
    long sparse_places[] = {0, 4096, places[1], 256 * MB, places[2]};
    show("sparse.bin through a read-only descriptor", maps[2], sparse_places, 5);
    show("sparse.bin", maps[3], sparse_places, 5);
    unlink("sparse.bin");
    return 0;
}
