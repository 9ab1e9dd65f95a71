// Write-heavy: COUNT write() calls of SIZE bytes each to a file, every buffer different (a
// counter in its first bytes), then the file's size. Replay checks each write's bytes by a
// digest of them, which the recorder reads from the program's memory at every write.
// Usage: writes FILE COUNT SIZE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: writes FILE COUNT SIZE\n");
        return 2;
    }
    long count = atol(argv[2]);
    size_t size = (size_t)atol(argv[3]);
    char *buffer = malloc(size < 8 ? 8 : size);
    for (size_t i = 0; i < size; i++)
        buffer[i] = (char)('a' + i % 26);
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || buffer == NULL) {
        perror(argv[1]);
        return 1;
    }
    long total = 0;
    for (long i = 0; i < count; i++) {
        memcpy(buffer, &i, size < sizeof i ? size : sizeof i);
        ssize_t n = write(fd, buffer, size);
        if (n < 0) {
            perror("write");
            return 1;
        }
        total += n;
    }
    close(fd);
    printf("writes: %ld writes of %zu bytes, %ld bytes\n", count, size, total);
    return 0;
}
