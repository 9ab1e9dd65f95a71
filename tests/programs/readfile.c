// A file's contents, read in small pieces, then again with pread at an offset.
// Usage: readfile FILE
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: readfile FILE\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    char buf[7];
    ssize_t n;
    long total = 0;
    unsigned long sum = 0;
    int reads = 0;
    printf("content: ");
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            sum = sum * 33 + (unsigned char)buf[i];
            putchar(buf[i] == '\n' ? '|' : buf[i]);
        }
        total += n;
        reads++;
    }
    printf("\n");
    printf("bytes: %ld\n", total);
    printf("reads: %d\n", reads);
    printf("checksum: %lu\n", sum);

    char mid[16] = "";
    n = pread(fd, mid, 10, 5);
    printf("pread_count: %zd\n", n);
    for (ssize_t i = 0; i < n; i++)
        if (mid[i] == '\n')
            mid[i] = '|';
    printf("pread: %.*s\n", (int)(n > 0 ? n : 0), mid);
    printf("lseek_end: %ld\n", (long)lseek(fd, 0, SEEK_END));
    close(fd);
    fprintf(stderr, "readfile: read %ld bytes from %s\n", total, argv[1]);
    return 0;
}
