// A data file read through a private read-only mapping (no read() syscalls):
// the mapped bytes must be in the trace.
// Usage: mmapfile FILE
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: mmapfile FILE\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        perror(argv[1]);
        return 1;
    }
    const unsigned char *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    unsigned long sum = 0;
    long lines = 0;
    for (off_t i = 0; i < st.st_size; i++) {
        sum = sum * 33 + p[i];
        lines += p[i] == '\n';
    }
    const unsigned char *nl = p;
    while (nl < p + st.st_size && *nl != '\n')
        nl++;
    printf("size: %lld\n", (long long)st.st_size);
    printf("lines: %ld\n", lines);
    printf("checksum: %lu\n", sum);
    printf("first_line: %.*s\n", (int)(nl - p), (const char *)p);
    printf("last_byte: %d\n", st.st_size > 0 ? p[st.st_size - 1] : -1);
    fprintf(stderr, "mmapfile: mapped %lld bytes\n", (long long)st.st_size);
    munmap((void *)p, (size_t)st.st_size);
    return 0;
}
